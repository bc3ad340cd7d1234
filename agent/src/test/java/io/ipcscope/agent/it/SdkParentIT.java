package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.target.ReaperDrain;
import io.ipcscope.agent.target.SdkSpanChild;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An application with its own OpenTelemetry SDK and no OpenTelemetry agent: operations made while one of its spans
 * is current carry that span as their parent (and its sampling decision); operations outside any span carry none.
 */
class SdkParentIT {

  private static final int LINES = 4;

  @TempDir Path dir;

  /** The jars of the API and SDK the target app uses, taken from this test's own class path. */
  static TargetProcess withSdk(TargetJvm.Jdk jdk) {
    return TargetProcess.of(jdk, SdkSpanChild.class, String.valueOf(LINES))
        .classpathOf(Span.class, Context.class, ComponentLoader.class, SdkTracerProvider.class,
            CompletableResultCode.class);
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void operationsInsideTheApplicationsSpanAreItsChildren(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetProcess.Finished run = withSdk(jdk).agent("socket=" + collector.path()).run();

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.value("read")).isEqualTo(String.valueOf((LINES + 3) * 6));
      String[] handle = run.value("handle").split(" ");
      String[] quiet = run.value("quiet").split(" ");
      List<JsonNode> ops = Await.lines(collector, "op",
          o -> o.stream().mapToLong(Ops::bytesRead).sum() == (LINES + 3) * 6, Duration.ofSeconds(10));

      JsonNode spawn = Ops.ofOperation(ops, "spawn").get(0);
      assertThat(Ops.ofOperation(ops, "spawn")).hasSize(1);
      assertParent(spawn, handle[0], handle[1], true);
      List<JsonNode> writes = Ops.ofOperation(ops, "write");
      assertThat(writes).hasSize(LINES + 3);
      for (int i = 0; i < LINES; i++) {
        assertParent(writes.get(i), handle[0], handle[1], true);
      }
      assertParent(writes.get(LINES), quiet[0], quiet[1], false);
      assertParent(writes.get(LINES + 1), quiet[0], quiet[1], false);
      assertNoParent(writes.get(LINES + 2));
      // reads on the main thread, outside any span, have no parent; the JDK's process reaper, if it drained the pipe
      // once cat exited, read for the code that started cat: inside "handle"
      long mainTid = Long.parseLong(run.value("tid"));
      assertThat(Ops.of(ops, "pipe", "read")).isNotEmpty().allSatisfy(r -> {
        if (r.path("tid").asLong() == mainTid) {
          assertNoParent(r);
        } else {
          assertParent(r, handle[0], handle[1], true);
        }
      });
      assertThat(writes).allSatisfy(w -> assertThat(w.path("channel").asText()).isEqualTo(run.value("stdin")));
    }
  }

  /**
   * When a child exits before its output is read, the JDK's process reaper thread reads what is left in the pipe,
   * outside any span: the agent gives those reads the span the child was started in.
   */
  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void readsOfTheJdksProcessReaperBelongToTheSpanThatStartedTheChild(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetProcess.Finished run = TargetProcess.of(jdk, ReaperDrain.class)
          .classpathOf(Span.class, Context.class, ComponentLoader.class, SdkTracerProvider.class,
              CompletableResultCode.class)
          .agent("socket=" + collector.path()).run();

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.value("drained")).isEqualTo("true");
      assertThat(run.value("read")).isEqualTo("drained");
      String[] start = run.value("start").split(" ");
      List<JsonNode> reads = Ops.of(Await.lines(collector, "op",
          o -> o.stream().mapToLong(Ops::bytesRead).sum() == 8, Duration.ofSeconds(10)), "pipe", "read");
      assertThat(reads).isNotEmpty().allSatisfy(r -> {
        assertThat(r.path("channel").asText()).isEqualTo(run.value("stdout"));
        assertThat(r.path("tid").asLong()).isNotEqualTo(Long.parseLong(run.value("tid")));
        assertParent(r, start[0], start[1], true);
      });
    }
  }

  private static void assertParent(JsonNode op, String traceId, String spanId, boolean sampled) {
    assertThat(op.path("trace_id").asText()).as(op.toString()).isEqualTo(traceId);
    assertThat(op.path("parent_span_id").asText()).as(op.toString()).isEqualTo(spanId);
    assertThat(op.path("sampled").isBoolean()).as(op.toString()).isTrue();
    assertThat(op.path("sampled").asBoolean()).as(op.toString()).isEqualTo(sampled);
  }

  private static void assertNoParent(JsonNode op) {
    assertThat(op.has("trace_id")).as(op.toString()).isFalse();
    assertThat(op.has("parent_span_id")).as(op.toString()).isFalse();
    assertThat(op.has("sampled")).as(op.toString()).isFalse();
  }
}
