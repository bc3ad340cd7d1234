package io.ipcscope.collector.otel;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where spans and metrics go, as the command line says; anything it leaves out comes from the standard OTEL_*
 * variables (OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_ZIPKIN_ENDPOINT,
 * OTEL_RESOURCE_ATTRIBUTES...), and when neither says anything, spans go to {@code file} as OTLP JSON lines.
 *
 * @param exporter {@code otlp}, {@code zipkin}, {@code console}, {@code file}, {@code none}, or null: not given
 * @param endpoint the backend's URL, or null
 * @param protocol {@code grpc} or {@code http/protobuf} for OTLP, or null
 * @param file where the {@code file} exporter writes
 * @param prometheusPort serve metrics for Prometheus to scrape on this port; 0: not
 */
public record ExportSettings(String exporter, String endpoint, String protocol, Path file, int prometheusPort) {

  /** The exporter to use: the flag's, else OTEL_TRACES_EXPORTER's, else otlp when an OTLP endpoint is set, else file. */
  public String effectiveExporter(Map<String, String> environment) {
    if (exporter != null) {
      return exporter;
    }
    String configured = setting(environment, "OTEL_TRACES_EXPORTER");
    if (configured != null) {
      return configured;
    }
    boolean otlpEndpoint = setting(environment, "OTEL_EXPORTER_OTLP_ENDPOINT") != null
        || setting(environment, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != null;
    return otlpEndpoint ? "otlp" : "file";
  }

  /** A variable, or its system-property spelling ({@code -Dotel.traces.exporter}), as the SDK reads them. */
  static String setting(Map<String, String> environment, String variable) {
    String property = System.getProperty(variable.toLowerCase(java.util.Locale.ROOT).replace('_', '.'));
    String value = property != null ? property : environment.get(variable);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
