package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.target.ChildSignals;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runtime.exec and a child's stderr; Process.destroy and ProcessHandle.destroyForcibly as SIGTERM and SIGKILL. */
class ChildSignalsIT {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void execStderrAndDestroyAreReported(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), Map.of(), ChildSignals.class);

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.value("stderr-bytes")).isEqualTo("4");
      long shell = Long.parseLong(run.value("shell").split(" ")[0]);
      long term = Long.parseLong(run.value("term"));
      long kill = Long.parseLong(run.value("kill"));
      List<JsonNode> ops = collector.lines("op");

      assertThat(ofOperation(ops, "spawn")).extracting(o -> o.path("peer_pid").asLong())
          .containsExactly(shell, term, kill);
      assertThat(ofOperation(ops, "spawn").get(0).path("attributes").path("ipc.child.command").asText())
          .isEqualTo("sh -c printf oops >&2");
      List<JsonNode> stderrReads = ofOperation(ops, "read").stream()
          .filter(r -> r.path("attributes").path("ipc.stream").asText().equals("stderr"))
          .collect(Collectors.toList());
      assertThat(stderrReads).allSatisfy(r -> assertThat(r.path("peer_pid").asLong()).isEqualTo(shell));
      assertThat(stderrReads.stream().mapToLong(r -> Math.max(0, r.path("bytes").asLong())).sum()).isEqualTo(4);

      List<JsonNode> kills = ofOperation(ops, "kill");
      assertThat(kills).hasSize(2);
      assertThat(kills.get(0).path("peer_pid").asLong()).isEqualTo(term);
      assertThat(kills.get(0).path("attributes").path("ipc.signal").asText()).isEqualTo("SIGTERM");
      assertThat(kills.get(1).path("peer_pid").asLong()).isEqualTo(kill);
      assertThat(kills.get(1).path("attributes").path("ipc.signal").asText()).isEqualTo("SIGKILL");
      assertThat(kills).allSatisfy(k -> {
        assertThat(k.path("mechanism").asText()).isEqualTo("signal");
        assertThat(k.path("attributes").path("ipc.result").asText()).isEqualTo("sent");
      });
    }
  }

  private static List<JsonNode> ofOperation(List<JsonNode> ops, String operation) {
    return ops.stream().filter(o -> o.path("operation").asText().equals(operation)).collect(Collectors.toList());
  }
}
