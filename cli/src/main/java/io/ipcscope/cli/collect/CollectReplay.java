package io.ipcscope.cli.collect;

import io.ipcscope.cli.UserError;
import io.ipcscope.collector.Collector;
import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.otel.SpanExportQueue;
import io.ipcscope.collector.otel.Telemetry;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.record.RecordingHeader;
import io.ipcscope.collector.record.Replay;
import io.ipcscope.collector.record.ReplayListener;
import io.ipcscope.collector.record.ReplayResult;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code collect --replay}: the spans and graph of a recording, made by the same model as live, with ids seeded from
 * the recording so that two replays export the very same spans.
 */
final class CollectReplay {

  /** A replay is not stopped by systemd: the exporter may take its time with the last spans. */
  private static final long REPLAY_FLUSH_MILLIS = 60_000;

  private final Path file;
  private final ExportOptions export;
  private final long peerWaitMillis;

  CollectReplay(Path file, ExportOptions export, long peerWaitMillis) {
    this.file = file;
    this.export = export;
    this.peerWaitMillis = peerWaitMillis;
  }

  int run() {
    ExporterLogging.install();
    try (Telemetry telemetry = export.open()) {
      SpanExportQueue queue = export.replayQueue(telemetry);
      Collector[] collector = new Collector[1];
      ReplayResult result = replay(collector, telemetry, queue);
      collector[0].drain();
      queue.close(REPLAY_FLUSH_MILLIS);
      CollectorHealth health = collector[0].health(result.driver(), collector[0].graph().snapshot(),
          new long[] {result.lostEvents()}, queue);
      CollectSummary.print(System.err, health, collector[0].graph().edgeCount(), queue);
      if (result.error().isPresent()) {
        System.err.println("ipcscope: " + result.error().get());
        return UserError.EXIT_FAILURE;
      }
      return 0;
    }
  }

  private ReplayResult replay(Collector[] collector, Telemetry telemetry, SpanExportQueue queue) {
    try {
      return Replay.run(file, -1, r -> collector[0].accept(r), new ReplayListener() {
        @Override
        public void started(RecordingHeader header, ModelDriver driver) {
          long seed = header.startMonotonicNanos() ^ header.epochNanosAtMonotonicZero();
          collector[0] = new Collector(driver.processes(), telemetry.processBase(header.hostName()),
              header.epochNanosAtMonotonicZero(), export.spanOptions(seed), Collector.DEFAULT_CAUSAL_HOLD_NANOS, queue);
          System.err.println("Collecting from " + file + " (recorded on " + header.hostName() + "); spans: "
              + telemetry.description() + ".");
        }

        @Override
        public void tick(long nanos) {
          collector[0].tick(nanos);
          queue.flush();
        }
      });
    } catch (IOException e) {
      throw UserError.unreadableRecording(file, e);
    }
  }
}
