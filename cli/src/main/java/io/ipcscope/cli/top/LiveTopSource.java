package io.ipcscope.cli.top;

import io.ipcscope.collector.Collector;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.proc.ProcHostView;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.ProbeConfig;
import io.ipcscope.probes.ProbeSession;
import io.ipcscope.probes.ProbeStatus;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.tui.NewestFrame;
import io.ipcscope.tui.TopFrame;
import io.ipcscope.tui.TopSource;
import io.opentelemetry.sdk.resources.Resource;
import io.ipcscope.collector.talk.RecentEvent;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's frames from probes loaded in this process: a thread of its own reads the ring buffer into the model
 * and the who-talks-to-whom graph (no spans), and publishes a frame every {@code publishMillis}, sleeping in between.
 * The dashboard's thread only takes the newest frame.
 */
final class LiveTopSource implements TopSource {

  /** The longest the reader sleeps in one poll, so {@link #close} never waits longer for it. */
  private static final long MAX_WAIT_MILLIS = 500;

  private final ProbeSession session;
  private final Thread reader;
  private final NewestFrame latest = new NewestFrame();
  private final long epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
  private final String description;
  private volatile boolean running = true;
  /** The last operation handed to the dashboard (the reader thread's). */
  private long lastSeq;

  LiveTopSource(long publishMillis) {
    EnumSet<Mechanism> all = EnumSet.allOf(Mechanism.class);
    all.remove(Mechanism.BENCH);
    session = ProbeSession.open(ProbeConfig.builder().mechanisms(all).ringBytes(32 << 20).build());
    long attached = session.status().stream().filter(ProbeStatus::ok).count();
    description = "probes: " + attached + " of " + session.status().size() + " attached";
    Collector[] collector = new Collector[1];
    ModelDriver driver = new ModelDriver(ProcHostView.system(), 200_000_000L, r -> collector[0].accept(r));
    collector[0] = new Collector(driver.processes(), Resource.empty(), epochOffsetNanos,
        SpanFactory.Options.defaults(0), Collector.DEFAULT_CAUSAL_HOLD_NANOS, null);
    long publishNanos = TimeUnit.MILLISECONDS.toNanos(publishMillis);
    reader = new Thread(() -> {
      long nextPublish = System.nanoTime();
      while (running) {
        // Sleep until the next frame is due: the ring wakes the reader earlier only when a quarter of it fills, so
        // the thread wakes about once per frame rather than 20 times a second. Nobody sees the model between frames.
        long waitMillis = TimeUnit.NANOSECONDS.toMillis(nextPublish - System.nanoTime());
        session.poll(driver::accept, Math.max(1, Math.min(MAX_WAIT_MILLIS, waitMillis)));
        long now = System.nanoTime();
        driver.tick(now);
        collector[0].tick(now);
        if (now - nextPublish >= 0) {
          latest.publish(frame(driver, collector[0], now));
          nextPublish = now + publishNanos;
        }
      }
    }, "ipcscope-top-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private TopFrame frame(ModelDriver driver, Collector collector, long now) {
    TalkGraph.Snapshot graph = collector.graph().snapshot();
    List<RecentEvent> recent = collector.tail().after(lastSeq);
    lastSeq = collector.tail().lastSeq();
    return new TopFrame(graph, collector.health(driver, graph, session.dropsPerCpu(), null), now, epochOffsetNanos,
        recent);
  }

  @Override
  public Optional<TopFrame> poll() {
    return latest.take();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    running = false;
    try {
      reader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    session.close();
  }
}
