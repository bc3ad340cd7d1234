package io.ipcscope.agent.export;

import io.ipcscope.agent.capture.AgentThread;
import io.ipcscope.agent.capture.BusyStreams;
import io.ipcscope.agent.capture.FailEverything;
import io.ipcscope.agent.capture.IpcOp;
import io.ipcscope.agent.capture.OpQueue;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.ExportMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The agent's one thread: takes batches off the queue and hands them to the collector or, when none runs (mode
 * auto), to the agent's own OTLP exporter. A collector that appears later is picked up, one that goes away is
 * replaced by OTLP; each change is one line on stderr.
 *
 * <p>While there is nowhere to send (export=collector before the collector starts, or auto with OTLP off) nothing is
 * taken off the queue: operations wait there, and once it is full new ones are dropped and counted, and the first
 * mark the collector gets says how many. Whatever this thread meets (an exporter's bug, an Error) stops the export,
 * in one line, and never reaches the application.
 *
 * <p>Busy streams are folded (option {@code detail}) for exporters that take summaries: the first operations of each
 * stream and second go out one by one, the rest as one summary per stream and second, so a channel's export cost is
 * bounded however busy it is, and every operation and byte still counted. Transfers are counted on the application's
 * threads ({@link BusyStreams}), whose counts this thread summarises; the rest it folds itself ({@link StreamFolder}).
 *
 * <p>At {@link #stop}, what is queued and folded is delivered, but the JVM's exit waits only while that can make
 * progress: not for a destination that is gone (no collector, an OTLP endpoint that refuses connections), and never
 * beyond the time given.
 */
public final class ExportLoop implements Runnable {

  private static final int BATCH = 2048;
  private static final long POLL_MILLIS = 50;
  /** A missing collector costs a stat(2) per attempt, so it is looked for every second. */
  private static final long RECONNECT_NANOS = 1_000_000_000L;
  private static final long DROP_REPORT_NANOS = 5_000_000_000L;
  /** The folding window: {@code detail} is operations per stream and second. */
  static final long WINDOW_NANOS = BusyStreams.WINDOW_NANOS;
  /** What the shutdown keeps for itself out of the time stop() is given: the exporter's close must end before. */
  private static final long STOP_MARGIN_NANOS = 100_000_000L;

  private final AgentConfig config;
  private final OpQueue queue;
  private final Consumer<String> log;
  private final OtlpSettings otlp;
  /** What the OTEL_* variables held that the agent cannot use: said when (and only if) OTLP export starts. */
  private final List<String> otlpProblems = new ArrayList<>();
  private final boolean failEverything;
  private volatile boolean running = true;
  /** When stop() must be over (System.nanoTime()); set before running is cleared. */
  private volatile long stopDeadlineNanos;
  private final AgentThread thread;
  /** Null with detail=all: every operation goes out by itself. */
  private final StreamFolder folder;
  private final List<IpcOp> singles = new ArrayList<>(BATCH);
  private final List<OpSummary> summaries = new ArrayList<>();
  private final BusyStreams.SummarySink toSummaries = this::foldedOnThread;
  /** Transfers folded on the application's threads; null until {@link #takeFoldsFrom}. */
  private BusyStreams busy;
  private boolean busyFolding;
  private OpExporter exporter;
  private boolean toCollector;
  private boolean otlpFailed;
  private boolean saidNowhere;
  private String lastWhy = "";
  private long nextConnectNanos;
  private long reportedDrops;
  private long nextDropReportNanos;

  public ExportLoop(AgentConfig config, OpQueue queue, Map<String, String> environment, Map<?, ?> properties,
      Consumer<String> log) {
    this(config, queue, environment, properties, log, false);
  }

  /** @param failEverything test only ({@link FailEverything}): the thread throws an Error as it starts */
  public ExportLoop(AgentConfig config, OpQueue queue, Map<String, String> environment, Map<?, ?> properties,
      Consumer<String> log, boolean failEverything) {
    this.config = config;
    this.queue = queue;
    this.log = log;
    this.otlp = new OtlpSettings(environment, properties, otlpProblems);
    this.failEverything = failEverything;
    this.thread = new AgentThread(this, "ipcscope-agent-export");
    this.folder = config.detail() == AgentConfig.DETAIL_ALL ? null : new StreamFolder(config.detail(), WINDOW_NANOS);
    if (config.export() == ExportMode.NONE) {
      exporter = Discard.INSTANCE;
    }
  }

  /** Where the agent's own OTLP export may send (its URL), null when it never will: its sockets are not reported. */
  public String otlpEndpoint() {
    ExportMode mode = config.export();
    return mode != ExportMode.NONE && mode != ExportMode.COLLECTOR && otlp.enabled() ? otlp.tracesEndpoint() : null;
  }

  /** Before {@link #start}: where the application's threads fold busy streams, summarised here. */
  public void takeFoldsFrom(BusyStreams busyStreams) {
    this.busy = busyStreams;
  }

  public void start() {
    thread.start();
  }

  /**
   * Sends what is queued and folded, closes the exporter, and returns once that is done or {@code timeoutMillis}
   * passed: for the JVM's shutdown hook. Returns at once when there is nowhere to send, and soon when the
   * destination does not answer (docs/AGENT.md, "The agent's own OTLP export").
   */
  public void stop(long timeoutMillis) {
    long start = System.nanoTime();
    stopDeadlineNanos = start + Math.max(0, TimeUnit.MILLISECONDS.toNanos(timeoutMillis) - STOP_MARGIN_NANOS);
    running = false;
    queue.wakeConsumer(); // it may be waiting for operations, or for a collector, up to POLL_MILLIS
    LockSupport.unpark(thread);
    try {
      thread.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    try {
      loop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      log.accept("export stopped, the application goes on without it: " + t);
    } finally {
      try {
        if (!running) {
          flushFolded();
        }
        closeExporter();
      } catch (Throwable t) {
        // closing after a failure: nothing more to say
      }
    }
  }

  private void loop() throws InterruptedException {
    List<IpcOp> batch = new ArrayList<>(BATCH);
    while (running || queue.size() > 0) {
      if (failEverything) {
        throw new FailEverything.Failure("the export thread");
      }
      connectCollector();
      reportDrops();
      if (exporter == null && !otlpPossible()) {
        if (!running) {
          return; // shutting down with nowhere to send
        }
        sayNowhere();
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS)); // the operations wait for a collector
        continue;
      }
      batch.clear();
      int n = queue.drainTo(batch, BATCH, running ? POLL_MILLIS : 0);
      if (n == 0) {
        if (exporter != null) {
          closeWindows();
          exporter.idle();
        }
        continue;
      }
      if (exporter == null) {
        openOtlp(); // only now, at the first operation to send: the SDK's classes and logging load late
        if (exporter == null) {
          continue;
        }
      }
      fold(batch);
      if (!exporter.export(singles, summaries)) {
        boolean auto = config.export() == ExportMode.AUTO;
        log.accept("collector went away; " + (auto && otlpPossible() ? "exporting OTLP until it is back"
            : "waiting for it (operations are kept until the queue is full)"));
        closeExporter();
        if (auto && otlpPossible()) {
          openOtlp();
          if (exporter != null) {
            exporter.export(singles, summaries);
          }
        }
      }
    }
  }

  /**
   * Splits a batch, for the exporter, into {@link #singles} and the {@link #summaries} of the windows that closed;
   * with an exporter that takes no summaries (export=none, a version 1 collector) or detail=all, every operation is
   * a single.
   */
  private void fold(List<IpcOp> batch) {
    singles.clear();
    summaries.clear();
    if (folder == null || !exporter.takesSummaries()) {
      singles.addAll(batch);
      if (folder != null && folder.streams() > 0) {
        folder.closeAll(summaries); // folded for an exporter that went away: this one counts them as dropped
      }
      foldOnThreads(false);
      return;
    }
    foldOnThreads(true);
    for (int i = 0, n = batch.size(); i < n; i++) {
      IpcOp op = batch.get(i);
      if (folder.admit(op, summaries)) {
        singles.add(op);
      }
    }
    closeAllWindows(System.nanoTime());
  }

  /** The threads' summaries first: one of a window this thread folded in too joins that one's. */
  private void closeAllWindows(long nowNanos) {
    if (busy != null) {
      busy.closeWindows(nowNanos, false, toSummaries);
    }
    folder.closeWindows(nowNanos, summaries);
  }

  /** A summary of transfers folded on their thread: they count as accepted now, never having been queued. */
  private void foldedOnThread(IpcOp op, long count) {
    queue.acceptedElsewhere(count);
    if (folder == null) {
      summaries.add(new OpSummary(op, count));
    } else {
      folder.absorb(op, count, summaries); // one summary per stream and window, whoever folded, in whatever order
    }
  }

  /**
   * Whether the application's threads fold: only for an exporter that takes summaries; else every transfer goes out
   * by itself from now on. What they folded stays counted: a collector's link takes summaries only once its welcome
   * is read, so an exporter may say no, then yes; what is still counted at exit goes to the exporter there is then.
   */
  private void foldOnThreads(boolean on) {
    if (busy == null || on == busyFolding) {
      return;
    }
    busyFolding = on;
    busy.folding(on);
  }

  /** With nothing queued: the summaries of windows that ended go out. */
  private void closeWindows() {
    if (folder == null || !exporter.takesSummaries()) {
      return;
    }
    singles.clear();
    summaries.clear();
    closeAllWindows(System.nanoTime());
    if (!summaries.isEmpty()) {
      exporter.export(singles, summaries);
    }
  }

  /** Every open summary, to the exporter there is: at exit, and before an exporter that takes them is replaced. */
  private void flushFolded() {
    if (folder == null || exporter == null) {
      return;
    }
    singles.clear();
    summaries.clear();
    if (busy != null) {
      busy.closeWindows(System.nanoTime(), true, toSummaries); // an exporter that takes none counts them as dropped
    }
    folder.closeAll(summaries);
    if (!summaries.isEmpty()) {
      exporter.export(singles, summaries);
    }
  }

  /** Tries the collector's socket now and then, in modes auto and collector, while not connected. */
  private void connectCollector() {
    ExportMode mode = config.export();
    if ((mode != ExportMode.AUTO && mode != ExportMode.COLLECTOR) || toCollector
        || System.nanoTime() < nextConnectNanos) {
      return;
    }
    nextConnectNanos = System.nanoTime() + RECONNECT_NANOS;
    StringBuilder why = new StringBuilder();
    CollectorLink link = CollectorLink.open(config.socket(), otlp.serviceName(), queue, why);
    if (link != null) {
      flushFolded(); // summaries folded for the OTLP export go there, whatever the collector speaks
      closeExporter();
      exporter = link;
      toCollector = true;
      saidNowhere = false;
      log.accept("sending to the collector at " + config.socket());
    } else if (config.debug() && !why.toString().equals(lastWhy)) {
      lastWhy = why.toString();
      log.accept(lastWhy);
    }
  }

  private boolean otlpPossible() {
    ExportMode mode = config.export();
    return (mode == ExportMode.AUTO || mode == ExportMode.OTLP) && otlp.enabled() && !otlpFailed;
  }

  private void openOtlp() {
    otlpProblems.forEach(log);
    otlpProblems.clear();
    try {
      exporter = new LazyOtlpSpans(otlp, config.granularity(), config.streamIdleMillis(), config.debug(), log);
      log.accept((config.export() == ExportMode.AUTO ? "no collector at " + config.socket() + "; exporting"
          : "exporting") + " OTLP to " + otlp.tracesEndpoint());
    } catch (RuntimeException | LinkageError e) {
      otlpFailed = true;
      log.accept("OTLP export could not start: " + e);
    }
  }

  /** Once, while operations wait: why nothing is sent. */
  private void sayNowhere() {
    if (saidNowhere) {
      return;
    }
    saidNowhere = true;
    ExportMode mode = config.export();
    if (mode == ExportMode.AUTO && !otlpFailed) {
      log.accept("no collector at " + config.socket() + " and no OTLP export (" + otlp.disabledReason()
          + "): operations wait for a collector");
    } else if (mode == ExportMode.OTLP) {
      log.accept("no OTLP export (" + (otlpFailed ? "it could not start" : otlp.disabledReason())
          + "): operations are dropped once the queue is full");
    } else if (config.debug()) {
      log.accept("waiting for the collector at " + config.socket() + "; operations are kept until the queue ("
          + config.queueCapacity() + ") is full");
    }
  }

  /** With debug=true, a line when operations were dropped, at most every 5 s. */
  private void reportDrops() {
    if (!config.debug()) {
      return;
    }
    long dropped = queue.dropped();
    if (dropped != reportedDrops && System.nanoTime() >= nextDropReportNanos) {
      log.accept("queue full: " + dropped + " operation(s) dropped so far (queue=" + config.queueCapacity() + ")");
      reportedDrops = dropped;
      nextDropReportNanos = System.nanoTime() + DROP_REPORT_NANOS;
    }
  }

  /** At exit, bounded by what stop() was given; else (a switch of exporter) as long as the exporter needs. */
  private void closeExporter() {
    if (exporter != null && exporter != Discard.INSTANCE) {
      if (running) {
        exporter.close();
      } else {
        exporter.close(stopDeadlineNanos);
      }
      exporter = null;
    }
    toCollector = false;
  }

  /** export=none: counts, sends nothing. */
  private enum Discard implements OpExporter {
    INSTANCE;

    @Override
    public boolean export(List<IpcOp> ops, List<OpSummary> summaries) {
      return true;
    }

    @Override
    public boolean takesSummaries() {
      return true; // folded on the application's threads, they cost less than operations: taken and dropped
    }

    @Override
    public void close() {}
  }
}
