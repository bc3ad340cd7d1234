package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent's own OTLP export, when no collector runs (export=auto and no socket) or when asked (export=otlp): the
 * spans a real OTLP/HTTP receiver decodes, exactly: names, kinds, attributes, parents, resource, headers, all from
 * the standard OTEL_* variables. The target app has its own SDK: a sampled span, an unsampled one, and none.
 */
class OtlpExportIT {

  private static final int LINES = 4;
  private static final String SCOPE = "io.ipcscope.agent";

  @TempDir Path dir;

  static Stream<Arguments> jdksAndModes() {
    return Stream.of(TargetJvm.Jdk.values()).flatMap(jdk -> Stream.of(Arguments.of(jdk, "export=auto"),
        Arguments.of(jdk, "export=otlp")));
  }

  private TargetProcess.Finished run(TargetJvm.Jdk jdk, OtlpReceiver otlp, String options) throws Exception {
    Map<String, String> env = Map.of(
        "OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint(),
        "OTEL_SERVICE_NAME", "sdk-app",
        "OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test",
        "OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=ipc%20scope");
    TargetProcess.Finished run = SdkParentIT.withSdk(jdk)
        .agent("socket=" + dir.resolve("no-collector.sock") + "," + options).env(env).run();
    assertThat(run.exit()).as(run.stderr()).isZero();
    return run;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndModes")
  @Timeout(120)
  void aSpanPerOperationNamedAndAttributedAsTheCollectorDoes(TargetJvm.Jdk jdk, String mode) throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      TargetProcess.Finished run = run(jdk, otlp, mode);
      String stdin = run.value("stdin");
      String stdout = run.value("stdout");
      long child = Long.parseLong(run.value("child"));
      String[] handle = run.value("handle").split(" ");
      int total = (LINES + 3) * 6;

      List<OtlpReceiver.Received> spans = otlp.await(s -> readBytes(s, stdout) == total, Duration.ofSeconds(30),
          run.stderr());
      assertThat(spans).allSatisfy(s -> {
        assertThat(s.scope()).isEqualTo(SCOPE);
        assertThat(s.resource()).containsEntry("service.name", "sdk-app")
            .containsEntry("process.pid", Long.parseLong(run.value("pid")))
            .containsEntry("deployment.environment.name", "test");
        assertThat(s.headers()).containsEntry("x-tenant", "ipc scope");
        assertThat(s.span().getEndTimeUnixNano()).isGreaterThanOrEqualTo(s.span().getStartTimeUnixNano());
        assertThat((Long) s.attribute("thread.id")).isPositive();
      });

      OtlpReceiver.Received spawn = named(spans, "spawn cat").get(0);
      assertThat(named(spans, "spawn cat")).hasSize(1);
      assertThat(spawn.kind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
      assertThat(spawn.traceId()).isEqualTo(handle[0]);
      assertThat(spawn.parentSpanId()).isEqualTo(handle[1]);
      assertThat(withoutThread(spawn.attributes())).containsExactlyInAnyOrderEntriesOf(Map.of(
          "ipc.mechanism", "process", "ipc.peer.pid", child, "ipc.child.command", "cat",
          "ipc.child.stdin", stdin, "ipc.child.stdout", stdout, "ipc.child.stderr", spawn.attribute("ipc.child.stderr")));
      assertThat((String) spawn.attribute("ipc.child.stderr")).startsWith("pipe:[");

      // the unsampled span's two writes make no span: the agent's sampler follows the parent
      List<OtlpReceiver.Received> writes = named(spans, "write " + stdin);
      assertThat(writes).hasSize(LINES + 1).allSatisfy(w -> {
        assertThat(w.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
        assertThat(withoutThread(w.attributes())).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
            Map.entry("messaging.system", "pipe"), Map.entry("messaging.operation.type", "send"),
            Map.entry("messaging.operation.name", "write"), Map.entry("messaging.destination.name", stdin),
            Map.entry("network.transport", "pipe"), Map.entry("ipc.mechanism", "pipe"),
            Map.entry("ipc.channel", stdin), Map.entry("messaging.message.body.size", 6L),
            Map.entry("ipc.peer.pid", child), Map.entry("ipc.child.command", "cat"),
            Map.entry("ipc.stream", "stdin")));
      });
      assertThat(writes.stream().filter(w -> w.parentSpanId().equals(handle[1]))).hasSize(LINES)
          .allSatisfy(w -> assertThat(w.traceId()).isEqualTo(handle[0]));
      assertThat(writes.stream().filter(w -> w.parentSpanId().isEmpty())).singleElement()
          .satisfies(w -> assertThat(w.traceId()).isNotEqualTo(handle[0]));

      List<OtlpReceiver.Received> reads = named(spans, "read " + stdout);
      long mainTid = Long.parseLong(run.value("tid"));
      assertThat(reads).isNotEmpty().allSatisfy(r -> {
        assertThat(r.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
        // the main thread's reads are outside any span; the JDK's process reaper reads for whoever started cat
        assertThat(r.parentSpanId()).as("main thread %d: %s", mainTid, r)
            .isEqualTo(r.attribute("thread.id").equals(mainTid) ? "" : handle[1]);
        assertThat(r.attributes()).containsEntry("messaging.operation.type", "receive")
            .containsEntry("messaging.operation.name", "read").containsEntry("ipc.channel", stdout)
            .containsEntry("ipc.stream", "stdout");
      });
      assertThat(spans).hasSize(1 + writes.size() + reads.size());
      assertThat(run.agentLines()).containsExactly(mode.equals("export=auto")
          ? "ipcscope agent: no collector at " + dir.resolve("no-collector.sock") + "; exporting OTLP to "
              + otlp.endpoint() + "/v1/traces"
          : "ipcscope agent: exporting OTLP to " + otlp.endpoint() + "/v1/traces");
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void granularityStreamIsOneSpanPerStreamWithAnEventPerOperation(TargetJvm.Jdk jdk) throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      TargetProcess.Finished run = run(jdk, otlp, "granularity=stream");
      String stdin = run.value("stdin");
      String stdout = run.value("stdout");
      String[] handle = run.value("handle").split(" ");
      int total = (LINES + 3) * 6;

      List<OtlpReceiver.Received> spans = otlp.await(s -> s.stream().anyMatch(r -> r.name().equals("read " + stdout)),
          Duration.ofSeconds(30), run.stderr());
      assertThat(named(spans, "spawn cat")).hasSize(1);

      List<OtlpReceiver.Received> writes = named(spans, "write " + stdin);
      assertThat(writes).hasSize(2);
      OtlpReceiver.Received inHandle = writes.stream().filter(w -> w.parentSpanId().equals(handle[1])).findFirst()
          .orElseThrow();
      assertThat(inHandle.traceId()).isEqualTo(handle[0]);
      assertThat(inHandle.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
      assertThat(inHandle.attributes()).containsEntry("ipc.stream.operations", (long) LINES)
          .containsEntry("messaging.message.body.size", (long) LINES * 6)
          .containsEntry("ipc.channel", stdin);
      assertThat(inHandle.span().getEventsList()).hasSize(LINES)
          .allSatisfy(e -> assertThat(e.getName()).isEqualTo("write"));
      assertThat(inHandle.eventAttributes()).allSatisfy(a -> {
        assertThat(a).containsEntry("messaging.message.body.size", 6L);
        assertThat((Long) a.get("thread.id")).isPositive();
        assertThat((Long) a.get("ipc.duration_ns")).isNotNegative();
      });
      assertThat(inHandle.span().getEventsList()).allSatisfy(e -> assertThat(e.getTimeUnixNano())
          .isBetween(inHandle.span().getStartTimeUnixNano(), inHandle.span().getEndTimeUnixNano()));
      OtlpReceiver.Received plain = writes.stream().filter(w -> w.parentSpanId().isEmpty()).findFirst().orElseThrow();
      assertThat(plain.span().getEventsList()).hasSize(1);
      assertThat(plain.attributes()).containsEntry("ipc.stream.operations", 1L);

      // one stream of reads on the main thread, outside any span; if the JDK's process reaper drained the pipe once
      // cat exited, its reads are a stream of their own, under "handle", where cat was started
      long mainTid = Long.parseLong(run.value("tid"));
      List<OtlpReceiver.Received> reads = named(spans, "read " + stdout);
      assertThat(reads).hasSizeBetween(1, 2).allSatisfy(read -> {
        assertThat(read.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
        assertThat(read.attributes()).containsEntry("ipc.stream.operations", (long) read.span().getEventsCount());
        boolean main = read.parentSpanId().isEmpty();
        assertThat(read.parentSpanId()).isEqualTo(main ? "" : handle[1]);
        assertThat(read.eventAttributes()).allSatisfy(e -> assertThat(e.get("thread.id").equals(mainTid))
            .isEqualTo(main));
        assertThat(read.attribute("messaging.message.body.size")).isEqualTo(read.eventAttributes().stream()
            .mapToLong(a -> Math.max(0, (Long) a.get("messaging.message.body.size"))).sum());
      });
      assertThat(reads.stream().mapToLong(r -> (Long) r.attribute("messaging.message.body.size")).sum())
          .isEqualTo(total);
      assertThat(spans).hasSize(3 + reads.size());
    }
  }

  private static List<OtlpReceiver.Received> named(List<OtlpReceiver.Received> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).toList();
  }

  private static long readBytes(List<OtlpReceiver.Received> spans, String stdout) {
    return named(spans, "read " + stdout).stream()
        .mapToLong(s -> s.attribute("messaging.message.body.size") instanceof Long n ? n : 0).sum();
  }

  private static Map<String, Object> withoutThread(Map<String, Object> attributes) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>(attributes);
    copy.remove("thread.id");
    return copy;
  }
}
