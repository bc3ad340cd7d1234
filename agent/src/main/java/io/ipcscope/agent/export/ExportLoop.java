package io.ipcscope.agent.export;

import io.ipcscope.agent.capture.AgentThread;
import io.ipcscope.agent.capture.IpcOp;
import io.ipcscope.agent.capture.OpQueue;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.ExportMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The agent's one thread: takes batches off the queue and hands them to the collector or, when none runs (mode
 * auto), to the agent's own OTLP exporter. A collector that appears later is picked up, one that goes away is
 * replaced by OTLP; each change is one line on stderr.
 */
public final class ExportLoop implements Runnable {

  private static final int BATCH = 2048;
  private static final long POLL_MILLIS = 50;
  private static final long RECONNECT_NANOS = 5_000_000_000L;

  private final AgentConfig config;
  private final OpQueue queue;
  private final Consumer<String> log;
  private final OtlpSettings otlp;
  private volatile boolean running = true;
  private final AgentThread thread;
  private OpExporter exporter;
  private boolean toCollector;
  private long nextConnectNanos;

  public ExportLoop(AgentConfig config, OpQueue queue, Map<String, String> environment, Map<?, ?> properties,
      Consumer<String> log) {
    this.config = config;
    this.queue = queue;
    this.log = log;
    List<String> problems = new ArrayList<>();
    this.otlp = new OtlpSettings(environment, properties, problems);
    problems.forEach(log);
    this.thread = new AgentThread(this, "ipcscope-agent-export");
  }

  /** Where the agent's own OTLP export may send (its URL), null when it never will: its sockets are not reported. */
  public String otlpEndpoint() {
    ExportMode mode = config.export();
    return mode != ExportMode.NONE && mode != ExportMode.COLLECTOR && otlp.enabled() ? otlp.tracesEndpoint() : null;
  }

  public void start() {
    thread.start();
  }

  /** Sends what is queued (up to a few seconds' worth) and closes the exporter: for the JVM's shutdown hook. */
  public void stop(long timeoutMillis) {
    running = false;
    try {
      thread.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    List<IpcOp> batch = new ArrayList<>(BATCH);
    try {
      while (running || queue.size() > 0) {
        batch.clear();
        int n = queue.drainTo(batch, BATCH, running ? POLL_MILLIS : 0);
        OpExporter target = exporter();
        if (target == null) {
          continue; // nowhere to send (export=collector and none runs): the queue keeps the newest, drops the rest
        }
        if (n == 0) {
          target.idle();
        } else if (!target.export(batch)) {
          log.accept("collector went away; " + (config.export() == ExportMode.AUTO ? "exporting OTLP until it is back"
              : "retrying every 5 s"));
          closeExporter();
          if (config.export() == ExportMode.AUTO && otlp.enabled()) {
            exporter().export(batch);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | LinkageError e) {
      log.accept("export stopped: " + e); // the application goes on; operations are no longer sent
    } finally {
      closeExporter();
    }
  }

  private OpExporter exporter() {
    ExportMode mode = config.export();
    if (mode == ExportMode.NONE) {
      return Discard.INSTANCE;
    }
    boolean tryCollector = (mode == ExportMode.AUTO || mode == ExportMode.COLLECTOR)
        && !toCollector && System.nanoTime() >= nextConnectNanos;
    if (tryCollector) {
      nextConnectNanos = System.nanoTime() + RECONNECT_NANOS;
      StringBuilder why = new StringBuilder();
      CollectorLink link = CollectorLink.open(config.socket(), otlp.serviceName(), queue, why);
      if (link != null) {
        closeExporter();
        exporter = link;
        toCollector = true;
        log.accept("sending to the collector at " + config.socket());
      } else if (exporter == null && config.debug()) {
        log.accept(why.toString());
      }
    }
    if (exporter == null && mode != ExportMode.COLLECTOR && otlp.enabled()) {
      exporter = OtlpSpans.create(otlp, config.granularity(), config.streamIdleMillis());
      log.accept("no collector; exporting OTLP to " + otlp.tracesEndpoint());
    }
    return exporter;
  }

  private void closeExporter() {
    if (exporter != null) {
      exporter.close();
      exporter = null;
    }
    toCollector = false;
  }

  /** export=none: counts, sends nothing. */
  private enum Discard implements OpExporter {
    INSTANCE;

    @Override
    public boolean export(List<IpcOp> batch) {
      return true;
    }

    @Override
    public void close() {}
  }
}
