package io.ipcscope.cli.backend;

import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Zipkin fixture against the SDK's real Zipkin exporter; one server for the class, since it starts slowly. */
@Timeout(value = 3, unit = MINUTES)
class ZipkinServerTest {
  private static final Duration INGEST = Duration.ofSeconds(15);

  private static ZipkinServer zipkin;

  @BeforeAll
  static void startZipkin() throws IOException {
    zipkin = ZipkinServer.start();
  }

  @AfterAll
  static void stopZipkin() {
    if (zipkin != null) {
      zipkin.close();
    }
  }

  @Test
  void traceExportedByTheZipkinExporterIsQueryableWithBothServices() {
    TwoServiceTrace trace = TwoServiceTrace.create();
    try (ZipkinSpanExporter exporter = ZipkinSpanExporter.builder().setEndpoint(zipkin.spansEndpoint()).build()) {
      CompletableResultCode result = exporter.export(trace.spans()).join(10, SECONDS);
      assertThat(result.isSuccess()).as("export to %s", zipkin.spansEndpoint()).isTrue();
    }

    JsonNode spans = zipkin.awaitTrace(trace.traceId(), s -> s.size() == 2, INGEST);
    Map<String, JsonNode> byKind = new HashMap<>();
    spans.forEach(span -> byKind.put(span.path("kind").asText(), span));
    assertThat(byKind).containsOnlyKeys("PRODUCER", "CONSUMER");
    assertZipkinSpan(byKind.get("PRODUCER"), trace.producer(), "writer");
    assertZipkinSpan(byKind.get("CONSUMER"), trace.consumer(), "reader");
    assertThat(byKind.get("PRODUCER").has("parentId")).isFalse();
    assertThat(byKind.get("CONSUMER").path("parentId").asText()).isEqualTo(trace.producer().getSpanId());
    assertThat(byKind.get("PRODUCER").path("tags").path("ipc.bytes").asText()).isEqualTo("42");
    assertThat(byKind.get("PRODUCER").path("tags").path("ipc.pids").asText()).isEqualTo("100,200");
    assertThat(byKind.get("CONSUMER").path("tags").path("ipc.blocked").asText()).isEqualTo("true");

    assertThat(zipkin.services()).contains("writer", "reader");
    // Searching by either service finds the whole trace.
    for (String service : new String[] {"writer", "reader"}) {
      JsonNode traces = zipkin.awaitTraces(service, t -> containsTrace(t, trace.traceId()), INGEST);
      JsonNode found = StreamSupport.stream(traces.spliterator(), false)
          .filter(t -> t.path(0).path("traceId").asText().equals(trace.traceId()))
          .findFirst()
          .orElseThrow();
      assertThat(found).hasSize(2);
    }
  }

  @Test
  void exporterEnvironmentPointsAnAutoconfiguredSdkHere() {
    EnvironmentConfiguredSdk.exportOneSpan(zipkin.exporterEnvironment(), "autoconfigured", "env span");

    JsonNode traces = zipkin.awaitTraces("autoconfigured", t -> t.size() == 1, INGEST);
    assertThat(traces.path(0).path(0).path("name").asText()).isEqualTo("env span");
  }

  @Test
  void unknownTraceIsEmpty() {
    assertThat(zipkin.trace("0af7651916cd43dd8448eb211c80319c")).isEmpty();
    assertThat(zipkin.traces("nobody")).isEmpty();
  }

  @Test
  void aServerThatCannotStartFailsWithItsLog(@TempDir Path dir) throws IOException {
    Path notAJar = Files.writeString(dir.resolve("zipkin.jar"), "not a jar");

    assertThatThrownBy(() -> ZipkinServer.start(notAJar, dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with 1 while starting")
        .hasMessageContaining("ends with:")
        .hasMessageContaining("Invalid or corrupt jarfile");
  }

  private static void assertZipkinSpan(JsonNode span, SpanData expected, String service) {
    assertThat(span.path("traceId").asText()).isEqualTo(expected.getTraceId());
    assertThat(span.path("id").asText()).isEqualTo(expected.getSpanId());
    assertThat(span.path("name").asText()).isEqualTo(expected.getName());
    assertThat(span.path("localEndpoint").path("serviceName").asText()).isEqualTo(service);
    assertThat(span.path("timestamp").asLong()).isEqualTo(expected.getStartEpochNanos() / 1000);
    assertThat(span.path("duration").asLong())
        .isEqualTo((expected.getEndEpochNanos() - expected.getStartEpochNanos()) / 1000);
    assertThat(span.path("tags").path("ipc.mechanism").asText()).isEqualTo("pipe");
    assertThat(span.path("tags").path("otel.scope.name").asText()).isEqualTo(TwoServiceTrace.SCOPE);
  }

  private static boolean containsTrace(JsonNode traces, String traceId) {
    return StreamSupport.stream(traces.spliterator(), false)
        .anyMatch(t -> t.path(0).path("traceId").asText().equals(traceId));
  }
}
