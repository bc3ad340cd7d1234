package io.ipcscope.demo.truth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthJsonTest {

  private static final GroundTruth TRUTH = new GroundTruth("pipe", 10, 20,
      List.of(new TruthProcess(1234, "parent", "java"), new TruthProcess(1240, "child", "java")),
      List.of(new TruthChannel("pipe", "parent->child stdin", 1234, 1240, 100L, 6400, null)),
      List.of(new TruthSignal("SIGUSR1", 1240, 1241, 100, TruthSignal.USER, null),
          new TruthSignal("SIGUSR1", 1240, 1241, 1, TruthSignal.QUEUE, 7L)),
      List.of(new TruthLock(TruthLock.FLOCK, "lock", "/tmp/d/lock", 1240, 3),
          new TruthLock(TruthLock.FLOCK, "lock", "/tmp/d/lock", 1241, 3)),
      List.of(new TruthLockWait(TruthLock.FLOCK, "lock", 1241, 1240, 3),
          new TruthLockWait(TruthLock.FLOCK, "lock", 1240, 1241, 2)),
      List.of(new TruthSharedMemory("posix_shm", "ring", "/dev/shm/ring", 4096, List.of(1241L, 1240L), 2)),
      List.of(new TruthSemaphore(TruthSemaphore.POSIX, "full", "/dev/shm/sem.full", 1240, 5, 0)),
      List.of(new TruthFdPass("posix_shm", "memfd", 1240, 1241, "parent->child", 1)));

  @Test
  void writesSnakeCaseAndReadsItBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("t.json");
    GroundTruthJson.write(file, TRUTH);

    assertThat(file).content().contains("\"started_ns\" : 10", "\"writer_pid\" : 1234",
        "\"sender_pid\" : 1240", "\"path\" : null", "\"locks\" : [", "\"acquires\" : 3",
        "\"lock_waits\" : [", "\"waiter_pid\" : 1241", "\"holder_pid\" : 1240",
        "\"attacher_pids\" : [ 1240, 1241 ]", "\"size_bytes\" : 4096", "\"semaphores\" : [", "\"posts\" : 5",
        "\"fd_passes\" : [", "\"receiver_pid\" : 1241", "\"via\" : \"parent->child\"");
    assertThat(GroundTruthJson.read(file)).isEqualTo(TRUTH);
  }

  @Test
  void readsTheDocumentedFormatWithMissingOptionalFields() {
    String json = """
        { "workload": "pipe", "started_ns": 1, "ended_ns": 2, "extra": true,
          "processes": [ {"pid": 1234, "role": "parent", "comm": "java"} ],
          "channels": [ {"mechanism": "pipe", "name": "head->cat", "writer_pid": 1250, "reader_pid": 1251,
                         "messages": null, "bytes": 6400} ],
          "signals": [ {"signal": "SIGCHLD", "sender_pid": 1241, "target_pid": 1234, "count": 1, "origin": "kernel"} ] }
        """;
    GroundTruth truth = GroundTruthJson.parse(json);

    assertThat(truth.pid("parent")).isEqualTo(1234);
    assertThat(truth.channel("head->cat").messages()).isNull();
    assertThat(truth.channel("head->cat").path()).isNull();
    assertThat(truth.signals().get(0).value()).isNull();
    // Written before file locks were recorded: no "locks", no "lock_waits".
    assertThat(truth.locks()).isEmpty();
    assertThat(truth.lockWaits()).isEmpty();
    assertThat(truth.sharedMemory()).isEmpty();
    assertThat(truth.semaphores()).isEmpty();
    assertThat(truth.fdPasses()).isEmpty();
  }

  @Test
  void badJsonSaysWhat() {
    assertThatThrownBy(() -> GroundTruthJson.parse("{\"workload\": 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("parsing ground truth:");
  }
}
