package io.ipcscope.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpSettingsTest {

  private final List<String> problems = new ArrayList<>();

  private OtlpSettings settings(Map<String, String> env, Map<String, String> properties) {
    return new OtlpSettings(env, properties, problems);
  }

  @Test
  void defaultsAreTheSdksOnLocalhost() {
    OtlpSettings s = settings(Map.of(), Map.of());

    assertThat(s.enabled()).isTrue();
    assertThat(s.tracesEndpoint()).isEqualTo("http://localhost:4318/v1/traces");
    assertThat(s.headers()).isEmpty();
    assertThat(s.compression()).isEqualTo("none");
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.scheduleDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.maxQueueSize()).isEqualTo(2048);
    assertThat(problems).isEmpty();
  }

  @Test
  void theSignallessEndpointGetsTheTracesPathAndTheTracesEndpointIsTakenAsIs() {
    assertThat(settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318"), Map.of()).tracesEndpoint())
        .isEqualTo("http://otel:4318/v1/traces");
    assertThat(settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://otel:4318/base/"), Map.of()).tracesEndpoint())
        .isEqualTo("https://otel:4318/base/v1/traces");
    assertThat(settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://traces:9999/custom"), Map.of()).tracesEndpoint())
        .isEqualTo("http://traces:9999/custom");
    assertThat(problems).isEmpty();
  }

  @Test
  void systemPropertiesBeatVariables() {
    OtlpSettings s = settings(Map.of("OTEL_SERVICE_NAME", "from-env", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:1"),
        Map.of("otel.service.name", "from-property"));

    assertThat(s.serviceName()).isEqualTo("from-property");
    assertThat(s.tracesEndpoint()).isEqualTo("http://env:1/v1/traces");
  }

  @Test
  void variablesAreReadWhateverTheDefaultLocale() {
    Locale before = Locale.getDefault();
    Locale.setDefault(new Locale("tr", "TR")); // "OTEL_SERVICE_NAME".toLowerCase() would have a dotless i
    try {
      assertThat(settings(Map.of("OTEL_SERVICE_NAME", "orders"), Map.of()).serviceName()).isEqualTo("orders");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void serviceNameFromTheVariableThenTheResourceAttributesThenTheMainClass() {
    assertThat(settings(Map.of("OTEL_SERVICE_NAME", "orders", "OTEL_RESOURCE_ATTRIBUTES", "service.name=other"),
        Map.of()).serviceName()).isEqualTo("orders");
    assertThat(settings(Map.of("OTEL_RESOURCE_ATTRIBUTES", "a=b,service.name=billing"), Map.of()).serviceName())
        .isEqualTo("billing");
    assertThat(settings(Map.of(), Map.of()).serviceName()).isEqualTo(MainClass.name());
  }

  @Test
  void headersFromBothVariablesPercentDecodedTheTracesOnesWinning() {
    OtlpSettings s = settings(Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=abc%20def, tenant=a",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "tenant=b"), Map.of());

    assertThat(s.headers()).containsExactly(Map.entry("api-key", "abc def"), Map.entry("tenant", "b"));
  }

  @Test
  void theResourceHasTheAttributesTheServiceAndThePid() {
    Resource r = settings(Map.of("OTEL_SERVICE_NAME", "orders",
        "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=prod,team=ipc%2Bscope"), Map.of()).resource();

    assertThat(r.getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("orders");
    assertThat(r.getAttribute(AttributeKey.stringKey("deployment.environment.name"))).isEqualTo("prod");
    assertThat(r.getAttribute(AttributeKey.stringKey("team"))).isEqualTo("ipc+scope");
    assertThat(r.getAttribute(AttributeKey.longKey("process.pid"))).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void anEntryWithoutEqualsIsOneProblem() {
    settings(Map.of("OTEL_RESOURCE_ATTRIBUTES", "a=b,oops"), Map.of()).resource();

    assertThat(problems).containsExactly("OTEL key=value list entry 'oops' has no '=', ignored");
  }

  @Test
  void theTracesExporterListMustNameOtlp() {
    assertThat(settings(Map.of("OTEL_TRACES_EXPORTER", "none"), Map.of()).enabled()).isFalse();
    assertThat(settings(Map.of("OTEL_TRACES_EXPORTER", "logging"), Map.of()).enabled()).isFalse();
    assertThat(settings(Map.of("OTEL_TRACES_EXPORTER", "logging, OTLP"), Map.of()).enabled()).isTrue();
    assertThat(settings(Map.of(), Map.of("otel.traces.exporter", "zipkin")).disabledReason())
        .isEqualTo("OTEL_TRACES_EXPORTER=zipkin names no otlp exporter");
    assertThat(settings(Map.of("OTEL_SDK_DISABLED", "true"), Map.of()).disabledReason())
        .isEqualTo("OTEL_SDK_DISABLED=true");
    assertThat(problems).isEmpty();
  }

  @Test
  void anEndpointThatIsNoUrlTurnsOtlpOffInOneLine() {
    OtlpSettings s = settings(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "localhost:4318"), Map.of());

    assertThat(s.enabled()).isFalse();
    assertThat(s.disabledReason()).isEqualTo("OTLP endpoint localhost:4318/v1/traces is not an http:// or https:// URL");
    assertThat(problems).containsExactly(
        "OTLP endpoint localhost:4318/v1/traces is not an http:// or https:// URL; the agent exports no OTLP itself");
  }

  @Test
  void grpcIsNotSpokenAndSaysSo() {
    settings(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), Map.of());

    assertThat(problems).containsExactly("OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not spoken by the agent's exporter;"
        + " sending http/protobuf to the same endpoint (set it to http/protobuf to silence this)");
  }

  @Test
  void batchScheduleAndQueueFromTheBspVariables() {
    OtlpSettings s = settings(Map.of("OTEL_BSP_SCHEDULE_DELAY", "100", "OTEL_BSP_MAX_QUEUE_SIZE", "nope"), Map.of());

    assertThat(s.scheduleDelay()).isEqualTo(Duration.ofMillis(100));
    assertThat(s.maxQueueSize()).isEqualTo(2048);
  }

  @Test
  void compressionAndTimeout() {
    OtlpSettings s = settings(Map.of("OTEL_EXPORTER_OTLP_COMPRESSION", "GZIP", "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT",
        "2500"), Map.of());

    assertThat(s.compression()).isEqualTo("gzip");
    assertThat(s.timeout()).isEqualTo(Duration.ofMillis(2500));
  }
}
