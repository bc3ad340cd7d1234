package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.target.QueueChild;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A busy stream (5 000 pipe writes as fast as the JVM makes them) to a collector that speaks protocol 2: per window
 * (a second), exactly {@code detail} writes one by one and one summary of the rest; the singles and the summaries'
 * counts add up to exactly the writes made, their bytes to exactly the bytes written, while the application runs
 * (the window closes) and when it exits (what is folded is flushed). A collector that predates summaries gets every
 * write by itself. The agent's own OTLP export is bounded the same way: a span, or a stream's event, per summary.
 */
class BusyStreamIT {

  private static final int WRITES = 5_000;
  private static final int LINE = 6; // "hello\n"
  private static final int DETAIL = 100;
  private static final long SECOND = 1_000_000_000L;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void detailWritesPerWindowAndSummariesThatAddUpExactly(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir, 2)) {
      TargetProcess.Finished done;
      try (TargetProcess.Running app = TargetProcess.of(jdk, QueueChild.class, String.valueOf(WRITES))
          .agent("socket=" + collector.path() + ",detail=" + DETAIL).start()) {
        app.awaitLine("done");
        // the application still runs: its windows close by time, and their summaries come then
        Await.lines(collector, "summary", s -> written(collector) == WRITES, Duration.ofSeconds(20));
        assertWindows(collector);
        done = app.closeStdinAndWait();
      }

      assertThat(done.exit()).as(done.stderr()).isZero();
      Await.lines(collector, "mark", m -> m.size() > 0 && collector.lines("hello").size() == 1, Duration.ofSeconds(5));
      assertWindows(collector); // nothing more came at exit: nothing counted twice
      List<JsonNode> marks = collector.lines("mark");
      assertThat(marks.get(marks.size() - 1).path("accepted").asLong()).isEqualTo(1 + WRITES); // and the spawn
      assertThat(marks).allSatisfy(m -> assertThat(m.path("dropped").asLong()).isZero());
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void whatIsFoldedWhenTheJvmExitsIsSentAtExit(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir, 2)) {
      TargetProcess.Finished done = TargetProcess.of(jdk, QueueChild.class, String.valueOf(WRITES))
          .agent("socket=" + collector.path() + ",detail=" + DETAIL).run(); // exits right after its writes

      assertThat(done.exit()).as(done.stderr()).isZero();
      Await.lines(collector, "summary", s -> written(collector) == WRITES, Duration.ofSeconds(10));
      assertWindows(collector);
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void aCollectorThatPredatesSummariesGetsEveryOperationByItself(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetProcess.Finished done = TargetProcess.of(jdk, QueueChild.class, String.valueOf(WRITES))
          .agent("socket=" + collector.path() + ",detail=" + DETAIL).run();

      assertThat(done.exit()).as(done.stderr()).isZero();
      List<JsonNode> writes = Ops.of(Await.lines(collector, "op",
          o -> Ops.of(o, "pipe", "write").size() == WRITES, Duration.ofSeconds(10)), "pipe", "write");
      assertThat(writes).allSatisfy(w -> assertThat(w.path("bytes").asLong()).isEqualTo(LINE));
      assertThat(collector.lines("summary")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void theAgentsOwnOtlpExportMakesASpanPerSummaryWithItsCount(TargetJvm.Jdk jdk) throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      TargetProcess.Finished done = TargetProcess.of(jdk, QueueChild.class, String.valueOf(WRITES))
          .agent("export=otlp,detail=" + DETAIL).env("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()).run();
      assertThat(done.exit()).as(done.stderr()).isZero();

      List<OtlpReceiver.Received> writes = writeSpans(otlp.await(s -> writeCount(writeSpans(s)) == WRITES,
          Duration.ofSeconds(30), done.stderr()));

      List<OtlpReceiver.Received> summaries = writes.stream()
          .filter(w -> w.attribute("ipc.window.operations") != null).toList();
      assertThat(summaries).isNotEmpty().allSatisfy(w -> {
        assertThat(w.kind()).isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_PRODUCER);
        assertThat(w.name()).isEqualTo(writes.get(0).name());
        assertThat(w.attribute("messaging.message.body.size"))
            .isEqualTo(LINE * (Long) w.attribute("ipc.window.operations"));
        assertThat(w.attribute("ipc.stream")).isEqualTo("stdin");
      });
      assertThat(writes.size() - summaries.size()).isLessThanOrEqualTo(DETAIL * (summaries.size() + 1));
      assertThat(writeCount(writes)).isEqualTo(WRITES);
      assertThat(writes.stream().mapToLong(w -> (Long) w.attribute("messaging.message.body.size")).sum())
          .isEqualTo((long) LINE * WRITES);
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void withGranularityStreamASummaryIsOneEventWithItsCount(TargetJvm.Jdk jdk) throws Exception {
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      TargetProcess.Finished done = TargetProcess.of(jdk, QueueChild.class, String.valueOf(WRITES))
          .agent("export=otlp,granularity=stream,detail=" + DETAIL)
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()).run();
      assertThat(done.exit()).as(done.stderr()).isZero();

      List<OtlpReceiver.Received> streams = writeSpans(otlp.await(s -> writeSpans(s).stream()
          .mapToLong(w -> (Long) w.attribute("ipc.stream.operations")).sum() == WRITES, Duration.ofSeconds(30),
          done.stderr()));

      List<Map<String, Object>> events = streams.stream().flatMap(w -> w.eventAttributes().stream()).toList();
      List<Map<String, Object>> summaryEvents = events.stream().filter(e -> e.containsKey("ipc.window.operations"))
          .toList();
      assertThat(summaryEvents).isNotEmpty().allSatisfy(e -> assertThat(e.get("messaging.message.body.size"))
          .isEqualTo(LINE * (Long) e.get("ipc.window.operations")));
      assertThat(events.size() - summaryEvents.size()
          + summaryEvents.stream().mapToLong(e -> (Long) e.get("ipc.window.operations")).sum()).isEqualTo(WRITES);
      assertThat(streams.stream().mapToLong(w -> (Long) w.attribute("messaging.message.body.size")).sum())
          .isEqualTo((long) LINE * WRITES);
    }
  }

  private static List<OtlpReceiver.Received> writeSpans(List<OtlpReceiver.Received> spans) {
    return spans.stream().filter(s -> s.name().startsWith("write pipe:[")).toList();
  }

  /** The writes OTLP spans stand for: 1 each, or a summary's count. */
  private static long writeCount(List<OtlpReceiver.Received> writes) {
    return writes.stream().mapToLong(w -> w.attribute("ipc.window.operations") instanceof Long n ? n : 1).sum();
  }

  /** The writes the collector has been told of: one by one, and in summaries. */
  private static long written(AgentSocketStub collector) {
    return Ops.of(collector.lines("op"), "pipe", "write").size()
        + collector.lines("summary").stream().mapToLong(s -> s.path("count").asLong()).sum();
  }

  /** Exactly DETAIL singles in every window that has a summary, at most DETAIL in the others; totals exact. */
  private static void assertWindows(AgentSocketStub collector) {
    List<JsonNode> singles = Ops.of(collector.lines("op"), "pipe", "write");
    List<JsonNode> summaries = collector.lines("summary");
    assertThat(singles).isNotEmpty().allSatisfy(w -> assertThat(w.path("bytes").asLong()).isEqualTo(LINE));
    JsonNode first = singles.get(0);
    assertThat(summaries).isNotEmpty().allSatisfy(s -> {
      assertThat(s.path("mechanism").asText()).isEqualTo("pipe");
      assertThat(s.path("operation").asText()).isEqualTo("write");
      assertThat(s.path("channel").asText()).isEqualTo(first.path("channel").asText());
      assertThat(s.path("tid").asLong()).isEqualTo(first.path("tid").asLong());
      assertThat(s.path("span_id").asText()).matches("[0-9a-f]{16}");
      assertThat(s.path("bytes").asLong()).isEqualTo(LINE * s.path("count").asLong());
      assertThat(s.path("end").asLong()).isGreaterThanOrEqualTo(s.path("start").asLong());
      assertThat(Ops.attribute(s, "ipc.child.command")).isEqualTo("cat");
      assertThat(Ops.attribute(s, "ipc.stream")).isEqualTo("stdin");
    });
    long count = summaries.stream().mapToLong(s -> s.path("count").asLong()).sum();
    long bytes = summaries.stream().mapToLong(s -> s.path("bytes").asLong()).sum();
    assertThat(singles.size() + count).isEqualTo(WRITES);
    assertThat(LINE * singles.size() + bytes).isEqualTo((long) LINE * WRITES);

    Map<Long, List<JsonNode>> singlesByWindow = new TreeMap<>(singles.stream()
        .collect(Collectors.groupingBy(w -> Math.floorDiv(w.path("end").asLong(), SECOND))));
    Map<Long, List<JsonNode>> summariesByWindow = summaries.stream()
        .collect(Collectors.groupingBy(s -> Math.floorDiv(s.path("end").asLong(), SECOND)));
    singlesByWindow.forEach((window, inWindow) -> {
      List<JsonNode> summary = summariesByWindow.getOrDefault(window, List.of());
      assertThat(summary).as("summaries of window %d", window).hasSizeLessThanOrEqualTo(1);
      if (summary.isEmpty()) {
        assertThat(inWindow).hasSizeLessThanOrEqualTo(DETAIL);
      } else {
        assertThat(inWindow).as("singles of window %d", window).hasSize(DETAIL);
        long lastSingle = inWindow.stream().mapToLong(w -> w.path("end").asLong()).max().orElseThrow();
        assertThat(summary.get(0).path("start").asLong()).isGreaterThan(lastSingle); // the rest of the window
      }
    });
    assertThat(singlesByWindow.keySet()).containsAll(summariesByWindow.keySet());
  }
}
