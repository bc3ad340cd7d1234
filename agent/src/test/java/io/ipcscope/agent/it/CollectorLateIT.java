package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.target.QueueChild;
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
 * export=collector and no collector yet: the operations wait in the queue and none is lost until it is full; then
 * new ones are dropped and counted, and the collector that starts later gets the queued ones and, in the marks, the
 * count of the dropped ones.
 */
class CollectorLateIT {

  private static final int QUEUE = 100;

  @TempDir Path dir;

  static Stream<Arguments> jdksAndWrites() {
    return Stream.of(TargetJvm.Jdk.values()).flatMap(jdk -> Stream.of(Arguments.of(jdk, 50), Arguments.of(jdk, 150)));
  }

  @ParameterizedTest(name = "{0} {1} writes")
  @MethodSource("jdksAndWrites")
  @Timeout(120)
  void aLateCollectorGetsWhatWasQueuedAndTheDropCount(TargetJvm.Jdk jdk, int writes) throws Exception {
    Path socket = dir.resolve("agent.sock");
    long operations = 1 + writes;
    long accepted = Math.min(operations, QUEUE);
    long dropped = operations - accepted;
    TargetProcess.Finished done;
    try (TargetProcess.Running app = TargetProcess.of(jdk, QueueChild.class, String.valueOf(writes))
        .agent("export=collector,debug=true,queue=" + QUEUE + ",socket=" + socket).start()) {
      app.awaitLine("done");
      Thread.sleep(300); // the export thread has looked for the collector a few times by now
      try (AgentSocketStub collector = new AgentSocketStub(dir)) {
        List<JsonNode> marks = Await.lines(collector, "mark",
            m -> m.stream().anyMatch(x -> x.path("accepted").asLong() == accepted), Duration.ofSeconds(20));
        List<JsonNode> ops = collector.lines("op");
        done = app.closeStdinAndWait();

        assertThat(marks).allSatisfy(m -> {
          assertThat(m.path("accepted").asLong()).isEqualTo(accepted);
          assertThat(m.path("dropped").asLong()).isEqualTo(dropped);
        });
        assertThat(ops).hasSize((int) accepted);
        assertThat(ops.get(0).path("operation").asText()).isEqualTo("spawn");
        assertThat(ops.subList(1, ops.size())).allSatisfy(w -> {
          assertThat(w.path("operation").asText()).isEqualTo("write");
          assertThat(w.path("bytes").asLong()).isEqualTo(6);
        });
      }
    }
    assertThat(done.exit()).as(done.stderr()).isZero();
    assertThat(done.agentLines()).contains("ipcscope agent: waiting for the collector at " + socket
        + "; operations are kept until the queue (" + QUEUE + ") is full");
    if (dropped > 0) {
      assertThat(done.agentLines()).anySatisfy(l -> assertThat(l).startsWith("ipcscope agent: queue full: "));
    } else {
      assertThat(done.agentLines()).noneSatisfy(l -> assertThat(l).contains("queue full"));
    }
  }
}
