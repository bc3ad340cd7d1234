package io.ipcscope.cli.collect;

import io.ipcscope.cli.UserError;
import io.ipcscope.collector.otel.ExportSettings;
import io.ipcscope.collector.otel.SpanExportQueue;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.otel.Telemetry;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/** Where spans go and how they are made: the flags of collect, live or from a recording. */
final class ExportOptions {

  private static final Set<String> PROTOCOLS = Set.of("grpc", "http/protobuf");

  @Option(names = "--exporter", paramLabel = "NAME", description = "otlp, zipkin, console, file or none (default: "
      + "OTEL_TRACES_EXPORTER, else otlp when OTEL_EXPORTER_OTLP_ENDPOINT is set, else file).")
  String exporter;

  @Option(names = "--endpoint", paramLabel = "URL", description = "The backend: an OTLP endpoint "
      + "(http://host:4317 for grpc, http://host:4318 for http/protobuf) or Zipkin's http://host:9411/api/v2/spans.")
  String endpoint;

  @Option(names = "--protocol", paramLabel = "PROTOCOL", description = "OTLP's protocol: grpc or http/protobuf "
      + "(default: OTEL_EXPORTER_OTLP_PROTOCOL, else grpc).")
  String protocol;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "ipcscope-spans.jsonl",
      description = "Where the file exporter appends OTLP JSON lines, one export request per line, as the OpenTelemetry "
          + "Collector's file exporter writes them (default: ${DEFAULT-VALUE}). SIGHUP reopens it.")
  Path output;

  @Option(names = "--prometheus-port", paramLabel = "PORT", description = "Also serve metrics for Prometheus to "
      + "scrape on this port (path /metrics).")
  int prometheusPort;

  @Option(names = "--no-chain", description = "Do not continue a trace from what a thread consumed into what it "
      + "produces next (request/response chaining, docs/SEMANTIC-CONVENTIONS.md): every producer starts a trace.")
  boolean noChain;

  @Option(names = "--chain-window", paramLabel = "MS", defaultValue = "1000", description = "How long after "
      + "consuming a thread's produce still continues that trace (default: ${DEFAULT-VALUE} ms).")
  long chainWindowMillis;

  @Option(names = "--chain-hops", paramLabel = "N", defaultValue = "16", description = "A trace continues through at "
      + "most N producer-to-consumer hops; the next produce starts a new one (default: ${DEFAULT-VALUE}).")
  int maxHops;

  @Option(names = "--spans", paramLabel = "MODE", defaultValue = "adaptive", description = "per-op: a span per "
      + "write, read, send, receive or signal; window: per conversation (producer process, consumer process, channel) "
      + "at most one producer and one consumer span per --span-window, carrying counts; adaptive: per operation on "
      + "quiet channels, per window on a channel with more than 50 writes or sends in a window "
      + "(docs/SEMANTIC-CONVENTIONS.md; default: ${DEFAULT-VALUE}).")
  String spans;

  @Option(names = "--span-window", paramLabel = "MS", defaultValue = "100", description = "How long a window of "
      + "--spans window lasts (default: ${DEFAULT-VALUE} ms).")
  long spanWindowMillis;

  @Option(names = "--span-queue", paramLabel = "SPANS", defaultValue = "65536", description = "Spans held for export "
      + "while the backend is slow or down; beyond this they are dropped and counted (default: ${DEFAULT-VALUE}).")
  int queueCapacity;

  void validate() {
    if (protocol != null && !PROTOCOLS.contains(protocol)) {
      throw new UserError("--protocol must be grpc or http/protobuf, not " + protocol);
    }
    if (prometheusPort < 0 || prometheusPort > 65535) {
      throw new UserError("--prometheus-port must be a TCP port, not " + prometheusPort);
    }
    if (chainWindowMillis < 0) {
      throw new UserError("--chain-window must be 0 or more milliseconds");
    }
    if (maxHops < 1) {
      throw new UserError("--chain-hops must be at least 1");
    }
    if (!spans.equals("per-op") && !spans.equals("window") && !spans.equals("adaptive")) {
      throw new UserError("--spans must be per-op, window or adaptive, not " + spans);
    }
    if (spanWindowMillis < 1) {
      throw new UserError("--span-window must be at least 1 ms");
    }
    if (queueCapacity < 1) {
      throw new UserError("--span-queue must be at least 1");
    }
  }

  Telemetry open() {
    ExportSettings settings = new ExportSettings(exporter, endpoint, protocol, output, prometheusPort);
    try {
      return Telemetry.open(settings, System.getenv());
    } catch (ConfigurationException e) {
      throw new UserError("OpenTelemetry configuration: " + firstLine(e.getMessage()));
    } catch (IOException e) {
      throw new UserError("cannot write spans to " + output + ": " + e.getMessage());
    }
  }

  SpanExportQueue queue(Telemetry telemetry) {
    return new SpanExportQueue(telemetry.spanExporter(), queueCapacity, 512, 1_000);
  }

  /** For a replay: waits for the exporter rather than drop, so that every replay exports every span. */
  SpanExportQueue replayQueue(Telemetry telemetry) {
    return new SpanExportQueue(telemetry.spanExporter(), queueCapacity, 512, 1_000, true);
  }

  SpanFactory.Options spanOptions(long seed) {
    SpanFactory.Options perOp = new SpanFactory.Options(!noChain, chainWindowMillis * 1_000_000L, maxHops, seed);
    return switch (spans) {
      case "window" -> perOp.windowed(spanWindowMillis * 1_000_000L);
      case "adaptive" -> perOp.adaptive(spanWindowMillis * 1_000_000L);
      default -> perOp;
    };
  }

  private static String firstLine(String s) {
    return s == null ? "invalid" : s.lines().findFirst().orElse(s);
  }
}
