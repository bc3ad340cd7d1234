package io.ipcscope.agent.it;

import static io.ipcscope.agent.it.Ops.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.jna.Native;
import io.ipcscope.agent.target.JnaIpc;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * libc's IPC calls through JNA, interface-mapped and direct: every call of interest reported once with its bytes,
 * result and the channel named as the kernel names it; the other native calls (getpid, close, mq_close, msgctl...) not.
 */
@Timeout(120)
class JnaIT {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void libcIpcCallsThroughJnaAreReported(TargetJvm.Jdk jdk) throws Exception {
    Path jna = Paths.get(Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), Map.of(), List.of(jna), JnaIpc.class);

      assertThat(run.exit()).as(run.stderr()).isZero();
      // JNA runs ldconfig to find libc: that child and its pipe are the process instrumentation's
      List<JsonNode> ops = collector.lines("op").stream()
          .filter(o -> !o.path("mechanism").asText().equals("process") && !o.path("mechanism").asText().equals("pipe"))
          .collect(Collectors.toList());
      String mq = "/dev/mqueue" + run.value("mq");
      String mqd = run.value("mqd");
      String shm = "/dev/shm" + run.value("shm");
      String sem = "/dev/shm/sem." + run.value("sem").substring(1);
      String semAddress = "0x" + Long.toHexString(Long.parseLong(run.value("sem.address")));
      String msq = "sysv_mq:[" + run.value("msqid") + "]";
      String seg = "sysv_shm:[" + run.value("shmid") + "]";
      String set = "sem:[" + run.value("semid") + "]";
      long pid = Long.parseLong(run.value("pid"));

      assertThat(ops)
          .extracting(o -> o.path("mechanism").asText(), o -> o.path("operation").asText(),
              o -> o.path("channel").asText(), o -> o.path("bytes").asLong(), o -> attribute(o, "ipc.result"))
          .containsExactly(
              tuple("posix_mq", "mq_open", mq, -1L, mqd),
              tuple("posix_mq", "mq_send", mq, 11L, "0"),
              tuple("posix_mq", "mq_send", mq, 11L, "0"),
              tuple("posix_mq", "mq_send", mq, 11L, "0"),
              tuple("posix_mq", "mq_receive", mq, 11L, "11"),
              tuple("posix_mq", "mq_receive", mq, 11L, "11"),
              tuple("posix_mq", "mq_receive", mq, 11L, "11"),
              tuple("posix_mq", "mq_timedsend", mq, 5L, "0"),
              tuple("posix_mq", "mq_timedreceive", mq, 5L, "5"),
              tuple("posix_mq", "mq_unlink", mq, -1L, "0"),
              tuple("posix_shm", "shm_open", shm, -1L, run.value("shm.fd")),
              tuple("posix_shm", "shm_unlink", shm, -1L, "0"),
              tuple("sem", "sem_open", sem, -1L, semAddress),
              tuple("sem", "sem_post", sem, -1L, "0"),
              tuple("sem", "sem_wait", sem, -1L, "0"),
              tuple("sem", "sem_trywait", sem, -1L, "-1"),
              tuple("sem", "sem_post", sem, -1L, "0"),
              tuple("sem", "sem_timedwait", sem, -1L, "0"),
              tuple("sem", "sem_unlink", sem, -1L, "0"),
              tuple("sysv_mq", "msgget", msq, -1L, run.value("msqid")),
              tuple("sysv_mq", "msgsnd", msq, 7L, "0"),
              tuple("sysv_mq", "msgrcv", msq, 7L, "7"),
              tuple("sysv_shm", "shmget", seg, 4096L, run.value("shmid")),
              tuple("sysv_shm", "shmat", seg, -1L, "0x" + Long.toHexString(Long.parseLong(run.value("shmat")))),
              tuple("sem", "semget", set, -1L, run.value("semid")),
              tuple("sem", "semop", set, -1L, "0"),
              tuple("signal", "kill", "", -1L, run.value("kill")));

      assertThat(attribute(ops.get(0), "ipc.inode")).isEqualTo(run.value("mq.inode"));
      assertThat(Ops.of(ops, "posix_mq", "mq_send"))
          .allSatisfy(o -> assertThat(attribute(o, "ipc.mq.priority")).isEqualTo("5"));
      assertThat(Ops.of(ops, "sem", "sem_post"))
          .allSatisfy(o -> assertThat(attribute(o, "ipc.sem.address")).isEqualTo(semAddress));
      assertThat(Ops.of(ops, "sysv_mq", "msgget"))
          .singleElement().satisfies(o -> assertThat(attribute(o, "ipc.sysv.key")).isEqualTo("0x00000000"));
      assertThat(Ops.of(ops, "sysv_mq", "msgrcv"))
          .singleElement().satisfies(o -> assertThat(attribute(o, "ipc.msg.type_wanted")).isEqualTo("0"));
      assertThat(Ops.of(ops, "sem", "semget"))
          .singleElement().satisfies(o -> assertThat(attribute(o, "ipc.sem.nsems")).isEqualTo("1"));
      assertThat(Ops.of(ops, "sem", "semop"))
          .singleElement().satisfies(o -> assertThat(attribute(o, "ipc.sem.nsops")).isEqualTo("1"));
      assertThat(Ops.of(ops, "signal", "kill")).singleElement().satisfies(k -> {
        assertThat(k.path("peer_pid").asLong()).isEqualTo(pid);
        assertThat(attribute(k, "ipc.signal")).isEqualTo("0");
        assertThat(attribute(k, "ipc.api")).isEqualTo("jna");
      });
    }
  }
}
