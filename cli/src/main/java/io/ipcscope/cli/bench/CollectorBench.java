package io.ipcscope.cli.bench;

import io.ipcscope.cli.UserError;
import io.ipcscope.collector.Collector;
import io.ipcscope.collector.otel.SpanExportQueue;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.record.RecordingHeader;
import io.ipcscope.collector.record.RecordingWriter;
import io.ipcscope.collector.record.Replay;
import io.ipcscope.collector.record.ReplayListener;
import io.ipcscope.collector.record.ReplayResult;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast the whole collector replays a recording: the model, causal order, the graph and spans, against decoding
 * alone in the same invocation. Two synthetic recordings: a host of many process pairs mixing pipes, System V
 * queues and signals (the 500 k events/s target), and one pipe ping-pong at 100 k operations/s (one
 * conversation per direction) whose spans are exported over OTLP http/protobuf to a local sink, per operation and
 * per window, to choose the default of {@code --spans}. Needs no root.
 */
@Command(
    name = "collector",
    mixinStandardHelpOptions = true,
    description = {"How fast the collector (model, causal order, graph, spans) replays a recording, against decoding "
        + "alone; and what exporting spans per operation and per window costs. Needs no root."},
    footer = {"", "Example:", "  ipcscope bench collector --events 2000000 --pairs 500"})
public final class CollectorBench implements Callable<Integer> {

  private static final long PEER_WAIT = 200_000_000L;

  @Option(names = "--events", defaultValue = "2000000", description = "Events in the mixed recording (default: "
      + "${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--pairs", defaultValue = "500", description = "Process pairs in the mixed recording "
      + "(default: ${DEFAULT-VALUE}).")
  int pairs;

  @Option(names = "--ping-pong-events", defaultValue = "1000000", description = "Events in the ping-pong recording "
      + "exported over OTLP (default: ${DEFAULT-VALUE}).")
  int pingPongEvents;

  @Option(names = "--span-window", paramLabel = "MS", defaultValue = "100", description = "Window of --spans window "
      + "(default: ${DEFAULT-VALUE} ms).")
  long windowMillis;

  @Option(names = "--runs", defaultValue = "3", description = "Runs of each mode; the best is printed (default: "
      + "${DEFAULT-VALUE}).")
  int runs;

  @Override
  public Integer call() throws Exception {
    if (events <= 0 || pairs <= 0 || pingPongEvents <= 0 || runs <= 0 || windowMillis <= 0) {
      throw new UserError("--events, --pairs, --ping-pong-events, --span-window and --runs must be positive");
    }
    Path mixed = Files.createTempFile("ipcscope-bench-mixed-", ".rec");
    Path pingPong = Files.createTempFile("ipcscope-bench-pingpong-", ".rec");
    try {
      // 2 µs apart: the recording is itself 500 k events/s, so windows and holds see that rate
      synthesize(mixed, events, 2_000, this::mixedHost);
      // 10 µs apart: 100 k operations/s in one ping-pong
      synthesize(pingPong, pingPongEvents, 10_000, this::pingPongHost);
      SpanFactory.Options perOp = SpanFactory.Options.defaults(1);
      SpanFactory.Options window = perOp.windowed(windowMillis * 1_000_000L);

      System.out.printf("collector: mixed recording of %,d events over %d process pairs (pipes, System V queues, "
          + "signals), %d runs, best shown%n", events, pairs, runs);
      Timings mixedRuns = new Timings(events, runs);
      mixedRuns.baseline("decode only", () -> ReplayBench.decodeOnly(mixed) * 0 - 1);
      mixedRuns.run("decode + model", () -> Replays.model(mixed));
      mixedRuns.run("+ collector, graph only", () -> Replays.collector(mixed, perOp, null));
      mixedRuns.run("+ spans per-op, counted", () -> Replays.collector(mixed, perOp, span -> { }));
      mixedRuns.run("+ spans per-op, export queue", () -> Replays.queued(mixed, perOp));
      mixedRuns.run("+ spans window, counted", () -> Replays.collector(mixed, window, span -> { }));
      double fullRate = mixedRuns.rate("+ spans per-op, export queue");
      boolean met = fullRate >= ReplayBench.TARGET_EVENTS_PER_SECOND;
      System.out.printf("target: full pipeline >= %,.0f events/s: %s%n%n", ReplayBench.TARGET_EVENTS_PER_SECOND,
          met ? "met" : "NOT met");

      System.out.printf("spans of a pipe ping-pong at 100 k ops/s (%,d events), exported over OTLP http/protobuf to "
          + "a local sink (batches of 512, in the replaying thread)%n", pingPongEvents);
      Timings exportRuns = new Timings(pingPongEvents, runs);
      exportRuns.baseline("decode only", () -> ReplayBench.decodeOnly(pingPong) * 0 - 1);
      try (OtlpSink sink = OtlpSink.start()) {
        exportRuns.run("per-op, counted", () -> Replays.collector(pingPong, perOp, span -> { }));
        exportRuns.run("per-op, OTLP", () -> Replays.exported(pingPong, perOp, sink.exporter()));
        exportRuns.run("window " + windowMillis + " ms, counted", () -> Replays.collector(pingPong, window, s -> { }));
        exportRuns.run("window " + windowMillis + " ms, OTLP", () -> Replays.exported(pingPong, window, sink.exporter()));
        System.out.printf("OTLP sink received %,d bytes in all%n", sink.bytes());
      }
      return met ? 0 : 1;
    } finally {
      Files.deleteIfExists(mixed);
      Files.deleteIfExists(pingPong);
    }
  }

  /** Pairs take turns: every pair does a pipe round trip, every 8th turn also a queue message, every 16th a signal. */
  private void mixedHost(SyntheticIpc host, int count) {
    for (int p = 0; p < pairs; p++) {
      host.createPipes(p, 2);
    }
    int made = 2 * pairs;
    for (int turn = 0; made < count; turn++) {
      for (int p = 0; p < pairs && made < count; p++) {
        host.pipeRoundTrip(p, 0, 2, 64 + (turn & 63));
        made += 4;
        if ((turn + p) % 8 == 0) {
          host.queueMessage(p, 128);
          made += 2;
        }
        if ((turn + p) % 16 == 0) {
          host.signal(p);
          made += 2;
        }
      }
    }
  }

  private void pingPongHost(SyntheticIpc host, int count) {
    host.createPipes(0, 2);
    for (int made = 2; made < count; made += 4) {
      host.pipeRoundTrip(0, 0, 2, 64);
    }
  }

  /** Records a synthetic host through the real model, as trace -w would, with a tick every 500 events. */
  private static void synthesize(Path file, int count, long stepNanos, java.util.function.ObjIntConsumer<SyntheticIpc> workload)
      throws IOException {
    long t0 = 1_000_000_000L;
    RecordingHeader header = new RecordingHeader(1, "bench", "", 0, t0, PEER_WAIT, 1);
    try (RecordingWriter writer = RecordingWriter.create(file, header)) {
      ModelDriver driver = new ModelDriver(new ReplayBench.QuietHost(), PEER_WAIT, r -> { }, writer);
      long[] n = {0};
      SyntheticIpc[] host = new SyntheticIpc[1];
      host[0] = new SyntheticIpc(e -> {
        driver.accept(e);
        if (++n[0] % 500 == 0) {
          driver.tick(host[0].now());
        }
      }, t0, stepNanos);
      workload.accept(host[0], count);
      driver.drain();
    }
  }

  /** The replays each mode times. */
  static final class Replays {
    private Replays() {}

    static long model(Path file) throws IOException {
      long[] named = new long[1];
      check(Replay.run(file, PEER_WAIT, r -> named[0] += r.peerPid()));
      return named[0] == 42 ? 0 : -1; // the sum keeps the work observable
    }

    /** The collector as collect --replay runs it, spans to {@code sink} (null: none). Returns the spans made. */
    static long collector(Path file, SpanFactory.Options options, Consumer<SpanData> sink) throws IOException {
      Collector[] collector = new Collector[1];
      check(Replay.run(file, -1, r -> collector[0].accept(r), new ReplayListener() {
        @Override
        public void started(RecordingHeader header, ModelDriver driver) {
          collector[0] = new Collector(driver.processes(), Resource.empty(), header.epochNanosAtMonotonicZero(),
              options, Collector.DEFAULT_CAUSAL_HOLD_NANOS, sink);
        }

        @Override
        public void tick(long nanos) {
          collector[0].tick(nanos);
        }
      }));
      collector[0].drain();
      return collector[0].spans();
    }

    /** Spans through the real export queue to an exporter that does nothing; fails if the queue dropped any. */
    static long queued(Path file, SpanFactory.Options options) throws IOException {
      SpanExportQueue queue = new SpanExportQueue(new NoopExporter(), 65_536, 512, 1_000);
      long spans = collector(file, options, queue);
      queue.close(10_000);
      if (queue.dropped() > 0) {
        throw new IllegalStateException("the export queue dropped " + queue.dropped() + " spans");
      }
      return spans;
    }

    /** Spans exported in batches of 512 by the replaying thread itself, so the export's cost is in the time. */
    static long exported(Path file, SpanFactory.Options options, SpanExporter exporter) throws IOException {
      java.util.List<SpanData> batch = new java.util.ArrayList<>(512);
      Consumer<SpanData> sink = span -> {
        batch.add(span);
        if (batch.size() == 512) {
          exportNow(exporter, batch);
        }
      };
      long spans = collector(file, options, sink);
      if (!batch.isEmpty()) {
        exportNow(exporter, batch);
      }
      return spans;
    }

    private static void exportNow(SpanExporter exporter, java.util.List<SpanData> batch) {
      CompletableResultCode result = exporter.export(java.util.List.copyOf(batch)).join(10, java.util.concurrent.TimeUnit.SECONDS);
      if (!result.isSuccess()) {
        throw new IllegalStateException("the OTLP export to the local sink failed");
      }
      batch.clear();
    }

    private static void check(ReplayResult result) {
      if (result.error().isPresent()) {
        throw new IllegalStateException(result.error().get());
      }
    }
  }

  /** An exporter that takes everything and does nothing: what is left is the queue's own cost. */
  static final class NoopExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
