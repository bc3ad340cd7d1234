package io.ipcscope.cli.backend;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.cli.backend.OtlpReceiver.Protocol;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The OTLP receiver against the SDK's real OTLP exporters, over both transports. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class OtlpReceiverTest {
  private static final Duration ARRIVAL = Duration.ofSeconds(10);
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(5);
  private static final String PROTOBUF = "application/x-protobuf";

  @ParameterizedTest
  @CsvSource({"HTTP_PROTOBUF, none", "HTTP_PROTOBUF, gzip", "GRPC, none", "GRPC, gzip"})
  void exportedSpansDecodeToExactlyWhatTheSdkMade(Protocol protocol, String compression) throws Exception {
    TwoServiceTrace trace = TwoServiceTrace.create();
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        SpanExporter exporter = exporter(receiver, compression, null)) {
      assertThat(export(exporter, trace.spans()).isSuccess()).isTrue();

      assertThat(receiver.spans()).containsExactlyInAnyOrder(
          expected(trace.producer(), "writer", SpanKind.SPAN_KIND_PRODUCER, "",
              Map.of("ipc.mechanism", "pipe", "ipc.bytes", 42L, "ipc.pids", List.of(100L, 200L)),
              List.of()),
          expected(trace.consumer(), "reader", SpanKind.SPAN_KIND_CONSUMER, trace.producer().getSpanId(),
              Map.of("ipc.mechanism", "pipe", "ipc.blocked", true),
              List.of(new ReceivedSpan.Link(trace.traceId(), trace.producer().getSpanId(),
                  Map.of("ipcscope.link", "same message")))));
      assertThat(receiver.requests()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void exporterEnvironmentPointsAnAutoconfiguredSdkHere(Protocol protocol) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol)) {
      EnvironmentConfiguredSdk.exportOneSpan(receiver.exporterEnvironment(), "autoconfigured", "env span");

      List<ReceivedSpan> spans = receiver.awaitSpans(s -> s.size() == 1, ARRIVAL);
      assertThat(spans.get(0).serviceName()).isEqualTo("autoconfigured");
      assertThat(spans.get(0).name()).isEqualTo("env span");
      assertThat(spans.get(0).kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void unavailableFailsTheExportThenRecovers(Protocol protocol) throws Exception {
    TwoServiceTrace trace = TwoServiceTrace.create();
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        SpanExporter exporter = exporter(receiver, "none", null)) {
      receiver.available(false);
      assertThat(export(exporter, trace.spans()).isSuccess()).isFalse();
      assertThat(receiver.requests()).isEqualTo(1);
      assertThat(receiver.spans()).isEmpty();

      receiver.available(true);
      assertThat(export(exporter, trace.spans()).isSuccess()).isTrue();
      assertThat(receiver.requests()).isEqualTo(2);
      assertThat(receiver.spans()).hasSize(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void stoppedFailsTheExportThenRestartsOnTheSamePort(Protocol protocol) throws Exception {
    TwoServiceTrace trace = TwoServiceTrace.create();
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        SpanExporter exporter = exporter(receiver, "none", null)) {
      assertThat(export(exporter, trace.spans()).isSuccess()).isTrue();
      int port = receiver.port();

      receiver.stop();
      assertThat(export(exporter, trace.spans()).isSuccess()).isFalse();
      assertThat(receiver.requests()).isEqualTo(1);

      receiver.restart();
      assertThat(receiver.port()).isEqualTo(port);
      assertThat(export(exporter, trace.spans()).isSuccess()).isTrue();
      assertThat(receiver.awaitSpans(spans -> spans.size() == 4, ARRIVAL)).hasSize(4);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aRetryingExporterGetsThroughOnceTheBackendRecovers(Protocol protocol) throws Exception {
    TwoServiceTrace trace = TwoServiceTrace.create();
    RetryPolicy retry = RetryPolicy.builder()
        .setMaxAttempts(5)
        .setInitialBackoff(Duration.ofMillis(200))
        .setMaxBackoff(Duration.ofMillis(500))
        .build();
    try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
        SpanExporter exporter = exporter(receiver, "none", retry)) {
      receiver.available(false);
      CompletableResultCode result = exporter.export(trace.spans());
      Poll.until("a refused first attempt", ARRIVAL, receiver::requests, n -> n >= 1);
      receiver.available(true);

      assertThat(result.join(10, SECONDS).isSuccess()).isTrue();
      assertThat(receiver.requests()).isGreaterThanOrEqualTo(2);
      assertThat(receiver.spans()).hasSize(2);
    }
  }

  @Test
  void httpAnswersMetricsAndRefusesWhatIsNotOtlpProtobuf() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.HTTP_PROTOBUF)) {
      HttpClient http = HttpClient.newHttpClient();
      byte[] metrics = ExportMetricsServiceRequest.getDefaultInstance().toByteArray();

      assertThat(post(http, receiver.endpoint() + "/v1/metrics", PROTOBUF, metrics).statusCode()).isEqualTo(200);
      assertThat(post(http, receiver.endpoint() + "/v1/traces", "application/json", "{}".getBytes()).statusCode())
          .isEqualTo(415);
      assertThat(post(http, receiver.endpoint() + "/v1/traces", PROTOBUF, new byte[] {(byte) 0xff}).statusCode())
          .isEqualTo(400);
      assertThat(post(http, receiver.endpoint() + "/v2/traces", PROTOBUF, new byte[0]).statusCode()).isEqualTo(404);
      assertThat(receiver.requests()).isZero();
    }
  }

  @Test
  void httpUnavailableAnswersWithAnRpcStatus() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(Protocol.HTTP_PROTOBUF)) {
      receiver.available(false);
      byte[] traces = ExportTraceServiceRequest.getDefaultInstance().toByteArray();

      HttpResponse<byte[]> response = post(HttpClient.newHttpClient(), receiver.tracesEndpoint(), PROTOBUF, traces);

      assertThat(response.statusCode()).isEqualTo(503);
      com.google.rpc.Status status = com.google.rpc.Status.parseFrom(response.body());
      assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE.value());
      assertThat(status.getMessage()).contains("unavailable");
      assertThat(receiver.requests()).isEqualTo(1);
    }
  }

  private static SpanExporter exporter(OtlpReceiver receiver, String compression, RetryPolicy retry) {
    return switch (receiver.protocol()) {
      case HTTP_PROTOBUF -> OtlpHttpSpanExporter.builder()
          .setEndpoint(receiver.tracesEndpoint())
          .setCompression(compression)
          .setTimeout(EXPORT_TIMEOUT)
          .setRetryPolicy(retry)
          .build();
      case GRPC -> OtlpGrpcSpanExporter.builder()
          .setEndpoint(receiver.tracesEndpoint())
          .setCompression(compression)
          .setTimeout(EXPORT_TIMEOUT)
          .setRetryPolicy(retry)
          .build();
    };
  }

  private static CompletableResultCode export(SpanExporter exporter, List<SpanData> spans) {
    return exporter.export(spans).join(10, SECONDS);
  }

  private static ReceivedSpan expected(SpanData span, String service, SpanKind kind, String parentSpanId,
      Map<String, Object> attributes, List<ReceivedSpan.Link> links) {
    return new ReceivedSpan(
        Map.of("service.name", service),
        TwoServiceTrace.SCOPE,
        TwoServiceTrace.SCOPE_VERSION,
        span.getName(),
        kind,
        span.getTraceId(),
        span.getSpanId(),
        parentSpanId,
        span.getStartEpochNanos(),
        span.getEndEpochNanos(),
        attributes,
        links,
        StatusCode.STATUS_CODE_UNSET,
        "");
  }

  private static HttpResponse<byte[]> post(HttpClient http, String url, String contentType, byte[] body)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }
}
