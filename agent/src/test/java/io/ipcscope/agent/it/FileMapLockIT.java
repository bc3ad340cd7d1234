package io.ipcscope.agent.it;

import static io.ipcscope.agent.it.Ops.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.target.MappedFileLocks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** FileChannel.map of a regular file and of a /dev/shm object, and the file's locks, each exactly once. */
@Timeout(120)
class FileMapLockIT {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void mapsAndLocksAreReportedWithTheFilesKernelNameAndInode(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), Map.of(), MappedFileLocks.class,
          dir.toString());

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.value("second")).isEqualTo("true");
      assertThat(run.value("refused")).isEqualTo("true");
      List<JsonNode> ops = collector.lines("op");
      String file = run.value("file");
      String inode = run.value("file.inode");

      List<Tuple> maps = new ArrayList<>(List.of(
          tuple("map", file, 4096L, "READ_WRITE", "0", "4096", inode),
          tuple("map", file, 512L, "READ_ONLY", "1024", "512", inode),
          tuple("map", file, 100L, "PRIVATE", "4096", "100", inode)));
      assertThat(run.value("segment")).isEqualTo(jdk == TargetJvm.Jdk.JDK25 ? "true" : "false");
      if (jdk == TargetJvm.Jdk.JDK25) { // map(mode, offset, size, Arena): a MemorySegment
        maps.add(tuple("map", file, 256L, "READ_WRITE", "2048", "256", inode));
      }
      assertThat(Ops.of(ops, "mmap"))
          .extracting(o -> o.path("operation").asText(), o -> o.path("channel").asText(), o -> o.path("bytes").asLong(),
              o -> attribute(o, "ipc.map.mode"), o -> attribute(o, "ipc.map.offset"),
              o -> attribute(o, "ipc.map.size"), o -> attribute(o, "ipc.inode"))
          .containsExactlyElementsOf(maps);
      assertThat(Ops.of(ops, "posix_shm"))
          .extracting(o -> o.path("operation").asText(), o -> o.path("channel").asText(), o -> o.path("bytes").asLong(),
              o -> attribute(o, "ipc.map.mode"), o -> attribute(o, "ipc.map.size"), o -> attribute(o, "ipc.inode"))
          .containsExactly(tuple("map", run.value("shm"), 65536L, "READ_WRITE", "65536", run.value("shm.inode")));

      List<JsonNode> locks = Ops.of(ops, "file_lock");
      assertThat(locks)
          .extracting(o -> o.path("operation").asText(), o -> attribute(o, "ipc.lock.range_start"),
              o -> attribute(o, "ipc.lock.range_end"), o -> attribute(o, "ipc.lock.shared"),
              o -> attribute(o, "ipc.lock.acquired"))
          .containsExactly(
              tuple("lock", "0", "99", "false", null),
              tuple("unlock", "0", "99", "false", null),
              tuple("trylock", "200", "249", "true", "true"),
              tuple("unlock", "200", "249", "true", null),
              tuple("lock", "0", "eof", "false", null),
              tuple("unlock", "0", "eof", "false", null),
              tuple("trylock", "1000", "1009", "false", "false"));
      assertThat(locks).allSatisfy(l -> {
        assertThat(l.path("channel").asText()).isEqualTo(file);
        assertThat(l.path("bytes").asLong()).isEqualTo(-1);
        assertThat(attribute(l, "ipc.inode")).isEqualTo(inode);
        assertThat(l.path("end").asLong()).isGreaterThanOrEqualTo(l.path("start").asLong());
      });
    }
  }
}
