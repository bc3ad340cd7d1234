package io.ipcscope.collector.otel;

import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.logging.otlp.internal.traces.OtlpStdoutSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The OpenTelemetry SDK as ipcscope uses it: the span exporter (configured by the SDK's autoconfigure from flags and
 * OTEL_* variables, or the OTLP JSON file by default) and a meter provider for metrics. The SDK's tracer is not used:
 * spans are made from kernel records ({@link IpcSpan}) and handed to the exporter directly.
 */
public final class Telemetry implements AutoCloseable {

  private final OpenTelemetrySdk sdk;
  private final SpanExporter spanExporter;
  private final Resource resource;
  private final String description;
  private final ReopenableFile file;

  private Telemetry(OpenTelemetrySdk sdk, SpanExporter spanExporter, Resource resource, String description,
      ReopenableFile file) {
    this.sdk = sdk;
    this.spanExporter = spanExporter;
    this.resource = resource;
    this.description = description;
    this.file = file;
  }

  /**
   * Configures the SDK. Throws {@link io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException} for settings
   * the SDK refuses (an unknown exporter name...) and {@link IOException} when the file cannot be opened.
   */
  public static Telemetry open(ExportSettings settings, Map<String, String> environment) throws IOException {
    String exporter = settings.effectiveExporter(environment);
    boolean toFile = exporter.equals("file");
    Map<String, String> overrides = new HashMap<>();
    overrides.put("otel.traces.exporter", toFile ? "none" : exporter);
    if (settings.endpoint() != null) {
      overrides.put(exporter.equals("zipkin") ? "otel.exporter.zipkin.endpoint" : "otel.exporter.otlp.endpoint",
          settings.endpoint());
    }
    if (settings.protocol() != null) {
      overrides.put("otel.exporter.otlp.protocol", settings.protocol());
    }
    boolean otlpMetrics = exporter.contains("otlp");
    if (settings.prometheusPort() > 0) {
      overrides.put("otel.metrics.exporter", otlpMetrics ? "otlp,prometheus" : "prometheus");
      overrides.put("otel.exporter.prometheus.port", Integer.toString(settings.prometheusPort()));
    }
    Map<String, String> defaults = Map.of(
        "otel.service.name", "ipcscope-collector",
        "otel.metrics.exporter", otlpMetrics ? "otlp" : "none",
        "otel.logs.exporter", "none");
    AtomicReference<SpanExporter> configured = new AtomicReference<>();
    AtomicReference<String> destination = new AtomicReference<>("");
    AtomicReference<Resource> resource = new AtomicReference<>(Resource.getDefault());
    AutoConfiguredOpenTelemetrySdk auto = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults)
        .addPropertiesCustomizer(config -> overrides)
        .addSpanExporterCustomizer((spanExporter, config) -> {
          destination.set(destination(exporter, config));
          configured.set(spanExporter);
          return spanExporter;
        })
        .addResourceCustomizer((r, config) -> {
          resource.set(r);
          return r;
        })
        .disableShutdownHook() // ipcscope flushes its own queue first, then shuts the SDK down
        .build();
    ReopenableFile file = null;
    SpanExporter spans;
    String description;
    if (toFile) {
      file = ReopenableFile.open(settings.file());
      spans = OtlpStdoutSpanExporter.builder().setOutput(file).setWrapperJsonObject(true).build();
      description = "OTLP JSON lines to " + settings.file();
    } else {
      spans = configured.get() == null ? SpanExporter.composite() : configured.get();
      description = exporter + destination.get();
    }
    return new Telemetry(auto.getOpenTelemetrySdk(), spans, resource.get(), description, file);
  }

  /** " (grpc) to http://host:4317", " to http://host:9411/api/v2/spans": where the configured exporter sends. */
  private static String destination(String exporter, io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties config) {
    if (exporter.equals("zipkin")) {
      return " to " + config.getString("otel.exporter.zipkin.endpoint", "http://localhost:9411/api/v2/spans");
    }
    if (exporter.equals("otlp")) {
      String protocol = config.getString("otel.exporter.otlp.traces.protocol",
          config.getString("otel.exporter.otlp.protocol", "grpc"));
      String endpoint = config.getString("otel.exporter.otlp.traces.endpoint",
          config.getString("otel.exporter.otlp.endpoint",
              protocol.equals("grpc") ? "http://localhost:4317" : "http://localhost:4318"));
      return " (" + protocol + ") to " + endpoint;
    }
    return "";
  }

  public SpanExporter spanExporter() {
    return spanExporter;
  }

  public Meter meter() {
    return sdk.getMeter("io.ipcscope.collector");
  }

  /** The collector's own resource (service.name ipcscope-collector, OTEL_RESOURCE_ATTRIBUTES). */
  public Resource resource() {
    return resource;
  }

  /**
   * What every traced process's resource starts from: the collector's, less its service name (each process has its
   * own), plus {@code host.name}.
   */
  public Resource processBase(String hostName) {
    Resource shared = resource.toBuilder().removeIf(key -> key.getKey().equals("service.name")).build();
    return shared.merge(ProcessResources.hostResource(hostName, io.opentelemetry.api.common.Attributes.empty()));
  }

  /** Where spans go, for the user: "zipkin to http://...", "OTLP JSON lines to spans.jsonl". */
  public String description() {
    return description;
  }

  /** Reopens the output file (after logrotate moved it): SIGHUP. */
  public void reopen() throws IOException {
    if (file != null) {
      file.reopen();
    }
  }

  @Override
  public void close() {
    // half a second: a last metrics export to a backend that does not answer must not hold up SIGTERM's 5 s
    sdk.shutdown().join(500, java.util.concurrent.TimeUnit.MILLISECONDS);
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // nothing left to save
      }
    }
  }

  /** An append-mode file that can be reopened by name while exporters hold the stream. */
  static final class ReopenableFile extends OutputStream {
    private final java.nio.file.Path path;
    private OutputStream out;

    private ReopenableFile(java.nio.file.Path path) throws IOException {
      this.path = path;
      this.out = java.nio.file.Files.newOutputStream(path, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    }

    static ReopenableFile open(java.nio.file.Path path) throws IOException {
      return new ReopenableFile(path);
    }

    synchronized void reopen() throws IOException {
      OutputStream old = out;
      out = java.nio.file.Files.newOutputStream(path, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      old.close();
    }

    @Override
    public synchronized void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public synchronized void flush() throws IOException {
      out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
      out.close();
    }
  }
}
