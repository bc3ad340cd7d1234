package io.ipcscope.agent.it;

import static io.ipcscope.agent.it.Ops.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.target.FifoChannels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** FIFOs opened through Files and FileChannel: their opens, and every write and read on them, exactly. */
@Timeout(120)
class FifoChannelIT {

  private static final int WRITES = 10;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void fifosOpenedThroughNioAreReportedLikeStreamOnes(TargetJvm.Jdk jdk) throws Exception {
    for (String name : List.of("a", "b")) {
      assertThat(new ProcessBuilder("mkfifo", dir.resolve(name).toString()).start().waitFor()).isZero();
    }
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), Map.of(), FifoChannels.class,
          dir.toString(), Integer.toString(WRITES));

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.value("read")).isEqualTo(WRITES * 16 + " " + WRITES * 16);
      List<JsonNode> ops = collector.lines("op");
      String a = run.value("a");
      String b = run.value("b");

      assertThat(Ops.of(ops, "fifo", "open"))
          .extracting(o -> o.path("channel").asText(), o -> attribute(o, "ipc.open.mode"),
              o -> attribute(o, "ipc.inode"))
          .containsExactlyInAnyOrder(
              tuple(a, "write", run.value("a.inode")), tuple(a, "read", run.value("a.inode")),
              tuple(b, "write", run.value("b.inode")), tuple(b, "read", run.value("b.inode")));
      for (String fifo : List.of(a, b)) {
        List<JsonNode> writes = on(Ops.of(ops, "fifo", "write"), fifo);
        assertThat(writes).hasSize(WRITES).allSatisfy(w -> {
          assertThat(w.path("bytes").asLong()).isEqualTo(16);
          assertThat(w.path("tid").asLong()).isPositive();
        });
        List<JsonNode> reads = on(Ops.of(ops, "fifo", "read"), fifo);
        assertThat(reads.stream().mapToLong(r -> r.path("bytes").asLong()).filter(n -> n > 0).sum())
            .isEqualTo(WRITES * 16);
        assertThat(reads).filteredOn(r -> r.path("bytes").asLong() <= 0)
            .singleElement().satisfies(eof -> assertThat(eof.path("bytes").asLong()).isEqualTo(-1));
        assertThat(reads.get(reads.size() - 1).path("bytes").asLong()).isEqualTo(-1);
      }
      assertThat(ops).allSatisfy(o -> assertThat(o.path("channel").asText()).doesNotEndWith("plain.txt"));
    }
  }

  private static List<JsonNode> on(List<JsonNode> ops, String channel) {
    return ops.stream().filter(o -> o.path("channel").asText().equals(channel)).collect(Collectors.toList());
  }
}
