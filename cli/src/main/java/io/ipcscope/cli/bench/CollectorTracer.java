package io.ipcscope.cli.bench;

import io.ipcscope.collector.Collector;
import io.ipcscope.collector.otel.ExportSettings;
import io.ipcscope.collector.otel.SpanExportQueue;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.otel.Telemetry;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.proc.ProcHostView;
import io.ipcscope.probes.ProbeConfig;
import io.ipcscope.probes.ProbeSession;
import io.ipcscope.probes.event.Mechanism;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;

/**
 * What {@code ipcscope collect} runs, in this JVM: every probe but the opt-in libc uprobes, the model, the collector
 * (causal order, graph, spans) and the export queue, with spans serialized as OTLP JSON by the SDK's exporter into
 * /dev/null, so serialization is paid as it would be for a real backend; spans as collect makes them by default
 * (adaptive: per window on busy channels).
 */
final class CollectorTracer implements TracerMode {

  private ProbeSession session;
  private Telemetry telemetry;
  private SpanExportQueue queue;
  private Collector collector;
  private Thread consumer;
  private volatile boolean running;
  private long drops;
  private long exported;

  @Override
  public String name() {
    return "collect";
  }

  @Override
  public void start(long driverPid, long pongPid) throws Exception {
    EnumSet<Mechanism> all = EnumSet.allOf(Mechanism.class);
    all.remove(Mechanism.BENCH);
    session = ProbeSession.open(ProbeConfig.builder().mechanisms(all).build());
    telemetry = Telemetry.open(new ExportSettings("file", null, null, Path.of("/dev/null"), 0), Map.of());
    queue = new SpanExportQueue(telemetry.spanExporter(), 65_536, 512, 1_000);
    long epochOffset = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    Collector[] box = new Collector[1];
    ModelDriver driver = new ModelDriver(ProcHostView.system(), 200_000_000L, r -> box[0].accept(r));
    collector = new Collector(driver.processes(), telemetry.processBase("bench"), epochOffset,
        SpanFactory.Options.defaults(1).adaptive(SpanFactory.Options.DEFAULT_WINDOW_NANOS), Collector.DEFAULT_CAUSAL_HOLD_NANOS, queue);
    box[0] = collector;
    running = true;
    consumer = new Thread(() -> {
      while (running) {
        session.poll(driver::accept, 50);
        long now = System.nanoTime();
        driver.tick(now);
        collector.tick(now);
        queue.flush();
      }
      while (session.poll(driver::accept, 0) > 0) {
        // the rest
      }
      driver.drain();
      collector.drain();
    }, "bench-collect");
    consumer.start();
  }

  @Override
  public String note() {
    return collector.events() + " events, " + collector.spans() + " spans (" + exported + " exported), lost " + drops;
  }

  @Override
  public void close() throws Exception {
    running = false;
    if (consumer != null) {
      consumer.join(5000);
    }
    if (queue != null) {
      queue.close(3_000);
      exported = queue.exported();
      queue = null;
    }
    if (telemetry != null) {
      telemetry.close();
      telemetry = null;
    }
    if (session != null) {
      drops = session.drops();
      session.close();
      session = null;
    }
  }
}
