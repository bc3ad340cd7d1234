package io.ipcscope.cli.backend;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An SDK autoconfigured as ipcscope collect's will be, from OTEL_* variables, but in this JVM: checks that a
 * fixture's {@code exporterEnvironment()} is what the SDK's autoconfigure understands.
 */
final class EnvironmentConfiguredSdk {
  private EnvironmentConfiguredSdk() {}

  /** Ends one span of {@code serviceName} through an SDK configured by {@code environment}, then flushes it. */
  static void exportOneSpan(Map<String, String> environment, String serviceName, String spanName) {
    Map<String, String> properties = new HashMap<>();
    // Autoconfigure reads OTEL_FOO_BAR as the property otel.foo.bar; properties keep this JVM's environment out.
    environment.forEach((name, value) -> properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value));
    properties.put("otel.service.name", serviceName);
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> properties)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
    sdk.getTracer(TwoServiceTrace.SCOPE).spanBuilder(spanName).setSpanKind(SpanKind.PRODUCER).startSpan().end();
    sdk.shutdown().join(10, SECONDS);
  }
}
