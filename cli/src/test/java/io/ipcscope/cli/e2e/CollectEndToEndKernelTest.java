package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.cli.backend.OtlpReceiver;
import io.ipcscope.cli.backend.ReceivedSpan;
import io.ipcscope.cli.backend.ZipkinServer;
import io.ipcscope.probes.KernelTestSupport;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipcscope collect} against real backends: the real Zipkin server (through the SDK's Zipkin exporter), and an
 * OTLP receiver that decodes the real protobuf messages over gRPC and http/protobuf. The workload is the shell
 * pipeline {@code head | tr | wc}: one trace must cross all three processes, each its own service.
 */
@ExtendWith(KernelTestSupport.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CollectEndToEndKernelTest {

  /** head writes 10 bytes to tr, tr writes them (translated) to wc, wc prints 10. */
  private static final String[] PIPELINE = {"--", "sh", "-c", "head -c 10 /dev/zero | tr '\\0' x | wc -c"};

  @TempDir Path dir;


  @Test
  void theDemoPipeAndAShellPipelineAreTracesInZipkin() throws Exception {
    try (ZipkinServer zipkin = ZipkinServer.start()) {
      try (CollectorProcess collect = CollectorProcess.start(dir, Map.of(), "--exporter", "zipkin", "--endpoint",
          zipkin.spansEndpoint(), "--", "sh", "-c", "head -c 10 /dev/zero | tr '\\0' x | wc -c; "
              + "exec " + String.join(" ", TracerProcess.javaCommand("io.ipcscope.cli.Ipcscope"))
              + " demo pipe --messages 3 --rate 50")) {
        assertThat(collect.awaitExit(120)).as("collect's exit code:\n%s", collect.stderr()).isZero();
        assertThat(collect.stderr()).contains("0 failed, 0 dropped");

        JsonNode pipeline = zipkin.awaitTraces("tr", traces -> traceWith(traces, "wc").isPresent(),
            Duration.ofSeconds(30));
        JsonNode trace = traceWith(pipeline, "wc").orElseThrow();
        JsonNode headWrite = span(trace, "head", "PRODUCER");
        JsonNode trRead = span(trace, "tr", "CONSUMER");
        JsonNode trWrite = span(trace, "tr", "PRODUCER");
        JsonNode wcRead = span(trace, "wc", "CONSUMER");
        assertThat(headWrite.path("parentId").isMissingNode()).isTrue();
        assertThat(trRead.path("parentId").asText()).isEqualTo(headWrite.path("id").asText());
        assertThat(trWrite.path("parentId").asText()).isEqualTo(trRead.path("id").asText());
        assertThat(wcRead.path("parentId").asText()).isEqualTo(trWrite.path("id").asText());
        assertThat(headWrite.path("name").asText()).matches("write pipe:\\[\\d+\\]");
        assertThat(trRead.path("name").asText()).isEqualTo(headWrite.path("name").asText().replace("write", "read"));
        JsonNode tags = trRead.path("tags");
        assertThat(tags.path("messaging.system").asText()).isEqualTo("pipe");
        assertThat(tags.path("messaging.operation.type").asText()).isEqualTo("receive");
        assertThat(tags.path("messaging.message.body.size").asText()).isEqualTo("10");
        assertThat(tags.path("network.transport").asText()).isEqualTo("pipe");
        assertThat(tags.path("ipc.pairing").asText()).isEqualTo("exact");
        assertThat(tags.path("ipc.peer.comm").asText()).isEqualTo("head");
        assertThat(headWrite.path("tags").path("ipc.peer.comm").asText()).isEqualTo("tr");

        // the demo: its parent writes each message to its child over a pipe, the child reads it
        Matcher pids = Pattern.compile("parent=(\\d+) child=(\\d+)").matcher(collect.stderr());
        assertThat(pids.find()).as("the demo's pids in its output").isTrue();
        String parent = pids.group(1);
        String child = pids.group(2);
        JsonNode demo = zipkin.awaitTraces("java", traces -> hop(traces, parent, child).isPresent(),
            Duration.ofSeconds(30));
        JsonNode[] hop = hop(demo, parent, child).orElseThrow();
        assertThat(hop[0].path("localEndpoint").path("serviceName").asText()).isEqualTo("java");
        assertThat(hop[1].path("tags").path("thread.id").asText()).isNotEmpty();
        assertThat(hop[1].path("tags").path("ipc.pairing").asText()).isEqualTo("exact");
        assertThat(hop[1].path("tags").path("messaging.message.body.size").asText())
            .isEqualTo(hop[0].path("tags").path("messaging.message.body.size").asText());
      }
    }
  }

  @Test
  void otlpOverGrpcAndHttpCarriesEachProcessAsItsOwnService() throws Exception {
    for (OtlpReceiver.Protocol protocol : OtlpReceiver.Protocol.values()) {
      try (OtlpReceiver receiver = OtlpReceiver.start(protocol);
          CollectorProcess collect = CollectorProcess.start(dir, receiver.exporterEnvironment(), PIPELINE)) {
        assertThat(collect.awaitExit(60)).as("collect's exit code:\n%s", collect.stderr()).isZero();
        List<ReceivedSpan> spans = receiver.awaitSpans(s -> find(s, "wc", SpanKind.SPAN_KIND_CONSUMER).isPresent(),
            Duration.ofSeconds(20));
        ReceivedSpan headWrite = find(spans, "head", SpanKind.SPAN_KIND_PRODUCER).orElseThrow();
        ReceivedSpan trRead = find(spans, "tr", SpanKind.SPAN_KIND_CONSUMER).orElseThrow();
        ReceivedSpan wcRead = find(spans, "wc", SpanKind.SPAN_KIND_CONSUMER).orElseThrow();
        assertThat(trRead.parentSpanId()).as(protocol.otelName()).isEqualTo(headWrite.spanId());
        assertThat(wcRead.traceId()).isEqualTo(headWrite.traceId());
        assertThat(headWrite.resourceAttributes()).containsEntry("service.name", "head")
            .containsEntry("process.executable.name", "head")
            .containsEntry("process.executable.path", "/usr/bin/head")
            .containsKey("process.pid").containsKey("host.name");
        assertThat(headWrite.attributes()).containsEntry("messaging.system", "pipe")
            .containsEntry("messaging.operation.type", "send")
            .containsEntry("messaging.operation.name", "write")
            .containsEntry("messaging.message.body.size", 10L)
            .containsEntry("ipc.fd", 1L);
        assertThat(trRead.attributes()).containsEntry("ipc.pairing", "exact").containsEntry("ipc.fd", 0L);
        assertThat(trRead.startEpochNanos()).isEqualTo(headWrite.endEpochNanos());
        assertThat(trRead.endEpochNanos()).isGreaterThan(trRead.startEpochNanos());
      }
    }
  }

  @Test
  void aBackendDownMidRunCostsCountedSpansAndSigtermStillFlushesWithinFiveSeconds() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.start(OtlpReceiver.Protocol.HTTP_PROTOBUF);
        CollectorProcess collect = CollectorProcess.start(dir, receiver.exporterEnvironment())) {
      workload("before");
      receiver.awaitSpans(s -> find(s, "before", SpanKind.SPAN_KIND_PRODUCER).isPresent(), Duration.ofSeconds(20));
      receiver.stop();
      workload("during");
      Thread.sleep(12_000); // longer than the OTLP exporter's retries (about 8 s): the export of "during" fails
      receiver.restart();
      workload("after");
      receiver.awaitSpans(s -> find(s, "after", SpanKind.SPAN_KIND_PRODUCER).isPresent(), Duration.ofSeconds(60));
      workload("last");
      long stopMillis = collect.stop();
      assertThat(stopMillis).as("SIGTERM to exit, ms").isLessThan(5_000);
      assertThat(find(receiver.spans(), "last", SpanKind.SPAN_KIND_PRODUCER)).as("flushed at SIGTERM").isPresent();
      Matcher summary = Pattern.compile("(\\d+) spans: (\\d+) exported, (\\d+) failed, (\\d+) dropped")
          .matcher(collect.stderr());
      assertThat(summary.find()).as("summary in:\n%s", collect.stderr()).isTrue();
      long made = Long.parseLong(summary.group(1));
      long exported = Long.parseLong(summary.group(2));
      long failed = Long.parseLong(summary.group(3));
      long dropped = Long.parseLong(summary.group(4));
      assertThat(failed).as("spans whose export failed while the backend was down").isPositive();
      assertThat(exported + failed + dropped).as("every span made is accounted for").isEqualTo(made);
      assertThat(collect.stderr()).doesNotContain("Exception in thread", "\tat "); // one-line errors, no stack traces
    }
  }

  @Test
  void prometheusScrapesBytesPerEdge() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    try (CollectorProcess collect = CollectorProcess.start(dir, Map.of(), "--exporter", "none", "--prometheus-port",
        Integer.toString(port))) {
      Process p = new ProcessBuilder("sh", "-c", "head -c 1000 /dev/zero | cat >/dev/null").start();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      Pattern headToCat = Pattern.compile("ipc_edge_bytes_total\\{ipc_channel=\"pipe:\\[\\d+]\",ipc_from_comm=\"head\","
          + "ipc_from_pid=\"\\d+\",ipc_mechanism=\"pipe\",ipc_to_comm=\"cat\",ipc_to_pid=\"\\d+\",[^}]*} 1000.0");
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      String metrics = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!headToCat.matcher(metrics).find() && System.nanoTime() < deadline) {
        Thread.sleep(500);
        metrics = http.send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      }
      assertThat(metrics).containsPattern(headToCat).contains("ipcscope_collector_events_total");
    }
  }

  @Test
  void sighupReopensTheSpanFileAfterItWasMovedAway() throws Exception {
    Path spans = dir.resolve("spans.jsonl");
    try (CollectorProcess collect = CollectorProcess.start(dir, Map.of(), "-o", spans.toString())) {
      workload("first");
      awaitFileContains(spans, "\"first\"");
      Path rotated = dir.resolve("spans.jsonl.1");
      Files.move(spans, rotated);
      assertThat(new ProcessBuilder("kill", "-HUP", Long.toString(collect.pid())).start().waitFor()).isZero();
      Thread.sleep(500);
      workload("second");
      awaitFileContains(spans, "\"second\"");
      assertThat(Files.readString(rotated)).doesNotContain("\"second\"");
      collect.stop();
    }
  }

  private static void awaitFileContains(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(file + " has no " + text + " after 20 s");
  }

  /** A pipe from a process named {@code name} (a copy of head) to cat. */
  private void workload(String name) throws Exception {
    Path renamed = dir.resolve(name);
    if (!Files.exists(renamed)) {
      Files.copy(Path.of("/usr/bin/head"), renamed);
    }
    Process p = new ProcessBuilder("sh", "-c", renamed + " -c 100 /dev/zero | cat >/dev/null").start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  private static Optional<ReceivedSpan> find(List<ReceivedSpan> spans, String service, SpanKind kind) {
    return spans.stream().filter(s -> s.serviceName().equals(service) && s.kind() == kind
        && "pipe".equals(s.attributes().get("messaging.system"))).findFirst();
  }

  private static Optional<JsonNode> traceWith(JsonNode traces, String service) {
    return StreamSupport.stream(traces.spliterator(), false)
        .filter(t -> StreamSupport.stream(t.spliterator(), false)
            .anyMatch(s -> s.path("localEndpoint").path("serviceName").asText().equals(service)))
        .findFirst();
  }

  private static JsonNode span(JsonNode trace, String service, String kind) {
    return StreamSupport.stream(trace.spliterator(), false)
        .filter(s -> s.path("localEndpoint").path("serviceName").asText().equals(service)
            && s.path("kind").asText().equals(kind) && s.path("tags").path("messaging.system").asText().equals("pipe"))
        .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " span of " + service + " in " + trace));
  }

  /** A write by the demo's parent and, as its child, the read of the demo's child that took it. */
  private static Optional<JsonNode[]> hop(JsonNode traces, String parentPid, String childPid) {
    for (JsonNode trace : traces) {
      for (JsonNode write : trace) {
        if (!write.path("kind").asText().equals("PRODUCER")
            || !write.path("tags").path("ipc.peer.pid").asText().equals(childPid)
            || !write.path("tags").path("messaging.system").asText().equals("pipe")) {
          continue;
        }
        for (JsonNode read : trace) {
          if (read.path("parentId").asText().equals(write.path("id").asText())
              && read.path("tags").path("ipc.peer.pid").asText().equals(parentPid)) {
            return Optional.of(new JsonNode[] {write, read});
          }
        }
      }
    }
    return Optional.empty();
  }
}
