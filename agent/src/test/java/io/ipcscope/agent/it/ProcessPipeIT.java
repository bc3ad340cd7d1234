package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.target.PipeChild;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A Java parent and its {@code cat}: the spawn, and every write and read on the child's pipes, exactly. */
class ProcessPipeIT {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void everyWriteAndReadOnTheChildsPipesIsReportedWithTheKernelsNames(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), Map.of(), PipeChild.class, "20");

      assertThat(run.exit()).as(run.stderr()).isZero();
      long child = Long.parseLong(run.value("child"));
      List<JsonNode> ops = collector.lines("op");
      JsonNode spawn = ops.stream().filter(o -> o.path("operation").asText().equals("spawn")).findFirst().orElseThrow();
      assertThat(spawn.path("mechanism").asText()).isEqualTo("process");
      assertThat(spawn.path("peer_pid").asLong()).isEqualTo(child);
      assertThat(spawn.path("attributes").path("ipc.child.command").asText()).isEqualTo("cat");
      assertThat(spawn.path("attributes").path("ipc.child.stdin").asText()).isEqualTo(run.value("stdin"));
      assertThat(spawn.path("attributes").path("ipc.child.stdout").asText()).isEqualTo(run.value("stdout"));

      List<JsonNode> writes = ofOperation(ops, "write");
      assertThat(writes).hasSize(20).allSatisfy(w -> {
        assertThat(w.path("mechanism").asText()).isEqualTo("pipe");
        assertThat(w.path("channel").asText()).isEqualTo(run.value("stdin"));
        assertThat(w.path("bytes").asLong()).isEqualTo(6);
        assertThat(w.path("peer_pid").asLong()).isEqualTo(child);
        assertThat(w.path("attributes").path("ipc.stream").asText()).isEqualTo("stdin");
        assertThat(w.path("tid").asLong()).isPositive();
        assertThat(w.path("end").asLong()).isGreaterThanOrEqualTo(w.path("start").asLong());
      });
      List<JsonNode> reads = ofOperation(ops, "read");
      assertThat(reads).allSatisfy(r -> {
        assertThat(r.path("channel").asText()).isEqualTo(run.value("stdout"));
        assertThat(r.path("attributes").path("ipc.stream").asText()).isEqualTo("stdout");
      });
      assertThat(reads.stream().mapToLong(r -> r.path("bytes").asLong()).sum()).isEqualTo(20 * 6);
      assertThat(collector.lines("hello")).singleElement()
          .satisfies(h -> assertThat(h.path("protocol").asInt()).isEqualTo(1));
    }
  }

  private static List<JsonNode> ofOperation(List<JsonNode> ops, String operation) {
    return ops.stream().filter(o -> o.path("operation").asText().equals(operation)).collect(Collectors.toList());
  }
}
