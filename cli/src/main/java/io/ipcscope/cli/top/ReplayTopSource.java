package io.ipcscope.cli.top;

import io.ipcscope.cli.UserError;
import io.ipcscope.collector.Collector;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.record.NotARecordingException;
import io.ipcscope.collector.record.RecordingHeader;
import io.ipcscope.collector.record.RecordingReader;
import io.ipcscope.collector.record.Replay;
import io.ipcscope.collector.record.ReplayListener;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.tui.NewestFrame;
import io.ipcscope.tui.TopFrame;
import io.ipcscope.tui.TopSource;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import io.ipcscope.collector.talk.RecentEvent;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard's frames from a recording ({@code trace -w}), replayed at the pace it was recorded (times
 * {@code speed}): a thread of its own feeds the model and sleeps between the recording's clock ticks, publishing a
 * frame every {@code publishMillis} of recorded time. At the end the last frame stays on screen.
 */
final class ReplayTopSource implements TopSource {

  private final Thread replayer;
  private final NewestFrame latest = new NewestFrame();
  private final String description;
  private volatile boolean running = true;
  private volatile boolean finished;
  /** The last operation handed to the dashboard (the replay thread's). */
  private long lastSeq;

  ReplayTopSource(Path file, double speed, long publishMillis) {
    RecordingHeader header;
    try {
      header = RecordingReader.readHeader(file);
    } catch (NoSuchFileException e) {
      throw new UserError("cannot read " + file + ": no such file");
    } catch (NotARecordingException e) {
      throw new UserError(e.getMessage());
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
    description = "replay of " + file.getFileName() + " (" + header.hostName() + ")" + (speed != 1 ? " x" + speed : "");
    long publishNanos = publishMillis * 1_000_000L;
    replayer = new Thread(() -> {
      Collector[] collector = new Collector[1];
      ModelDriver[] driver = new ModelDriver[1];
      long[] last = {Long.MIN_VALUE, 0};
      long wallStart = System.nanoTime();
      try {
        Replay.run(file, -1, r -> collector[0].accept(r), new ReplayListener() {
          @Override
          public void started(RecordingHeader h, ModelDriver d) {
            driver[0] = d;
            collector[0] = new Collector(d.processes(), Resource.empty(), h.epochNanosAtMonotonicZero(),
                SpanFactory.Options.defaults(0), Collector.DEFAULT_CAUSAL_HOLD_NANOS, null);
          }

          @Override
          public void tick(long nanos) {
            collector[0].tick(nanos);
            if (last[0] == Long.MIN_VALUE) {
              last[0] = nanos; // the recording's first tick is the dashboard's start
              last[1] = nanos;
            }
            pace(wallStart, nanos - last[0], speed);
            if (nanos - last[1] >= publishNanos) {
              last[1] = nanos;
              latest.publish(frame(driver[0], collector[0], nanos, header.epochNanosAtMonotonicZero()));
            }
          }
        });
        collector[0].drain();
        latest.publish(frame(driver[0], collector[0], last[1] + publishNanos, header.epochNanosAtMonotonicZero()));
      } catch (IOException | RuntimeException e) {
        // a damaged recording: what was replayed stays on screen
      } finally {
        finished = true;
      }
    }, "ipcscope-top-replay");
    replayer.setDaemon(true);
    replayer.start();
  }

  /** Sleeps until the wall clock has caught up with {@code recordedNanos} of the recording (at {@code speed}). */
  private void pace(long wallStart, long recordedNanos, double speed) {
    long due = wallStart + (long) (recordedNanos / speed);
    while (running) {
      long wait = due - System.nanoTime();
      if (wait <= 0) {
        return;
      }
      try {
        Thread.sleep(Math.min(wait / 1_000_000L + 1, 100));
      } catch (InterruptedException e) {
        return;
      }
    }
    throw new IllegalStateException("closed"); // ends the replay when the dashboard quits
  }

  private TopFrame frame(ModelDriver driver, Collector collector, long nanos, long epochOffset) {
    TalkGraph.Snapshot graph = collector.graph().snapshot();
    List<RecentEvent> recent = collector.tail().after(lastSeq);
    lastSeq = collector.tail().lastSeq();
    return new TopFrame(graph, collector.health(driver, graph, new long[0], null), nanos, epochOffset, recent);
  }

  @Override
  public Optional<TopFrame> poll() {
    return latest.take();
  }

  @Override
  public String describe() {
    return description + (finished ? ", ended" : "");
  }

  @Override
  public void close() {
    running = false;
    replayer.interrupt();
  }
}
