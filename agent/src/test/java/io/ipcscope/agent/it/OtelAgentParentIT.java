package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.target.HttpSortServer;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Beside the official OpenTelemetry Java agent, in either order: the IPC a request's handler makes (here, a
 * {@code sort} child and its pipes) belongs to the server span that agent made for the request. The server span is
 * taken from what the OpenTelemetry agent exported to a real OTLP receiver, our operations from the collector stub.
 */
class OtelAgentParentIT {

  private static final String SERVER_SCOPE = "io.opentelemetry.java-http-server";

  enum Order { OURS_FIRST, OTEL_FIRST }

  @TempDir Path dir;

  static Stream<Arguments> jdksAndOrders() {
    return Stream.of(TargetJvm.Jdk.values())
        .flatMap(jdk -> Stream.of(Order.values()).map(order -> Arguments.of(jdk, order)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndOrders")
  @Timeout(240)
  void theHandlersChildAndPipesAreChildrenOfTheServerSpan(TargetJvm.Jdk jdk, Order order) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir); OtlpReceiver otlp = new OtlpReceiver()) {
      TargetProcess target = TargetProcess.of(jdk, HttpSortServer.class).jvm(
          "-Dotel.service.name=sort-server",
          "-Dotel.traces.exporter=otlp",
          "-Dotel.exporter.otlp.protocol=http/protobuf",
          "-Dotel.exporter.otlp.endpoint=" + otlp.endpoint(),
          "-Dotel.metrics.exporter=none",
          "-Dotel.logs.exporter=none",
          "-Dotel.bsp.schedule.delay=100");
      if (order == Order.OURS_FIRST) {
        target.agent("socket=" + collector.path()).otelAgent();
      } else {
        target.otelAgent().agent("socket=" + collector.path());
      }

      TargetProcess.Finished done;
      try (TargetProcess.Running app = target.start()) {
        int port = Integer.parseInt(app.awaitValue("port"));
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sort"))
                .POST(HttpRequest.BodyPublishers.ofString("pear\napple\nfig")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("apple\nfig\npear\n");
        done = app.closeStdinAndWait();
      }
      assertThat(done.exit()).as(done.stderr()).isZero();

      OtlpReceiver.Received server = otlp.await(spans -> spans.stream().anyMatch(s -> s.scope().equals(SERVER_SCOPE)),
          Duration.ofSeconds(30)).stream().filter(s -> s.scope().equals(SERVER_SCOPE)).findFirst().orElseThrow();
      assertThat(otlp.spans(SERVER_SCOPE)).hasSize(1);
      assertThat(server.kind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(server.attribute("url.path")).isEqualTo("/sort");
      assertThat(server.resource().get("service.name")).isEqualTo("sort-server");

      long child = Long.parseLong(done.value("child"));
      List<JsonNode> all = Await.lines(collector, "op",
          o -> Ops.of(o, "pipe", "read").stream().mapToLong(Ops::bytesRead).sum() == 15, Duration.ofSeconds(10));
      // the server's own socket operations are reported too; the child's spawn and pipes are what is checked here
      List<JsonNode> ops = new java.util.ArrayList<>(Ops.of(all, "process", "spawn"));
      ops.addAll(Ops.of(all, "pipe"));
      assertThat(ops).allSatisfy(op -> {
        assertThat(op.path("trace_id").asText()).isEqualTo(server.traceId());
        assertThat(op.path("parent_span_id").asText()).isEqualTo(server.spanId());
        assertThat(op.path("sampled").asBoolean()).isTrue();
        assertThat(op.path("span_id").asText()).hasSize(16).isNotEqualTo(server.spanId());
        assertThat(op.path("peer_pid").asLong()).isEqualTo(child);
      });
      assertThat(Ops.of(ops, "process", "spawn")).singleElement()
          .satisfies(s -> assertThat(s.path("attributes").path("ipc.child.command").asText()).isEqualTo("sort"));
      assertThat(Ops.of(ops, "pipe", "write")).extracting(w -> w.path("bytes").asLong()).containsExactly(5L, 6L, 4L);
      assertThat(Ops.of(ops, "pipe", "write")).allSatisfy(w ->
          assertThat(w.path("channel").asText()).isEqualTo(done.value("stdin")));
      assertThat(Ops.of(ops, "pipe", "read")).isNotEmpty().allSatisfy(r ->
          assertThat(r.path("channel").asText()).isEqualTo(done.value("stdout")));
    }
  }
}
