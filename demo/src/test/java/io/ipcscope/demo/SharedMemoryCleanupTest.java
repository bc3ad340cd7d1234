package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --cleanup} after the shared-memory workloads: a demo killed with SIGKILL mid-traffic
 * leaves its objects, which are removed; a running demo's are kept. Needs root like {@link
 * CleanupTest} (the posix_mq search may mount the mqueue fs).
 */
class SharedMemoryCleanupTest {

  @TempDir Path tmp;
  private DemoRuns demos;

  @BeforeEach
  void demosIn() {
    demos = new DemoRuns(tmp);
  }


  /** The lines of {@code demo --cleanup} (in this JVM) about the demos of {@code pids}. */
  private List<String> cleanupLinesAbout(DemoRuns.Started... demos) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Cleanup.run(tmp, new PrintWriter(out, true), new PrintWriter(err, true));
    assertThat(err.toString()).isEmpty();
    assertThat(exit).isZero();
    return out.toString().lines()
        .filter(l -> Stream.of(demos).anyMatch(d -> l.contains("(pid " + d.pid() + ")")))
        .toList();
  }

  @AfterEach
  void stopAndCleanUp() throws Exception {
    demos.stopAll();
  }

  /** Stops a running demo as a user would (SIGTERM): exit 143, its objects removed by itself. */
  private static void terminate(DemoRuns.Started s) throws Exception {
    s.demo().destroy();
    assertThat(s.demo().waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(s.demo().exitValue()).isEqualTo(143);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void posixShmObjectAndSemaphoresOfAKilledDemoAreRemovedARunningOnesKept() throws Exception {
    DemoRuns.Started killed = demos.start("posix-shm");
    DemoRuns.Started running = demos.start("posix-shm");
    Thread.sleep(300); // Mid-traffic.
    long k = killed.pid();
    long r = running.pid();
    Path killedDir = demos.tempDirOf("posix-shm", k);
    Path runningDir = demos.tempDirOf("posix-shm", r);
    DemoRuns.kill(killed);
    List<Path> killedFiles = List.of(
        Path.of("/dev/shm/ipcscope-demo-" + k + "-ring"),
        Path.of("/dev/shm/sem.ipcscope-demo-" + k + "-empty"),
        Path.of("/dev/shm/sem.ipcscope-demo-" + k + "-full"));
    List<Path> runningFiles = List.of(
        Path.of("/dev/shm/ipcscope-demo-" + r + "-ring"),
        Path.of("/dev/shm/sem.ipcscope-demo-" + r + "-empty"),
        Path.of("/dev/shm/sem.ipcscope-demo-" + r + "-full"));
    assertThat(killedFiles).allMatch(Files::exists);
    assertThat(killedDir).exists();

    assertThat(cleanupLinesAbout(killed, running)).containsExactlyInAnyOrder(
        "removed posix_shm /ipcscope-demo-" + k + "-ring: its demo (pid " + k + ") is gone",
        "removed posix_sem /ipcscope-demo-" + k + "-empty: its demo (pid " + k + ") is gone",
        "removed posix_sem /ipcscope-demo-" + k + "-full: its demo (pid " + k + ") is gone",
        "removed temp dir " + killedDir + ": its demo (pid " + k + ") is gone",
        "kept posix_shm /ipcscope-demo-" + r + "-ring: its demo (pid " + r + ") is running",
        "kept posix_sem /ipcscope-demo-" + r + "-empty: its demo (pid " + r + ") is running",
        "kept posix_sem /ipcscope-demo-" + r + "-full: its demo (pid " + r + ") is running",
        "kept temp dir " + runningDir + ": its demo (pid " + r + ") is running");

    assertThat(killedFiles).noneMatch(Files::exists);
    assertThat(killedDir).doesNotExist();
    assertThat(runningFiles).allMatch(Files::exists);
    assertThat(running.demo().isAlive()).isTrue();
    terminate(running);
    assertThat(runningFiles).noneMatch(Files::exists);
    assertThat(runningDir).doesNotExist();
    assertThat(running.children()).noneMatch(Demo::alive);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sysvSegmentAndSemaphoreSetOfAKilledDemoAreRemovedARunningOnesKept() throws Exception {
    DemoRuns.Started killed = demos.start("sysv-shm");
    DemoRuns.Started running = demos.start("sysv-shm");
    Thread.sleep(300); // Mid-traffic.
    long k = killed.pid();
    long r = running.pid();
    int killedKey = SysvShmWorkload.key(k);
    int runningKey = SysvShmWorkload.key(r);
    Path killedDir = demos.tempDirOf("sysv-shm", k);
    Path runningDir = demos.tempDirOf("sysv-shm", r);
    DemoRuns.kill(killed);
    int shmid = sysvId("shm", killedKey);
    int semid = sysvId("sem", killedKey);

    assertThat(cleanupLinesAbout(killed, running)).containsExactlyInAnyOrder(
        String.format("removed sysv_shm key 0x%08x (id %d): its demo (pid %d) is gone", killedKey, shmid, k),
        String.format("removed sysv_sem key 0x%08x (id %d): its demo (pid %d) is gone", killedKey, semid, k),
        "removed temp dir " + killedDir + ": its demo (pid " + k + ") is gone",
        String.format("kept sysv_shm key 0x%08x (id %d): its demo (pid %d) is running", runningKey,
            sysvId("shm", runningKey), r),
        String.format("kept sysv_sem key 0x%08x (id %d): its demo (pid %d) is running", runningKey,
            sysvId("sem", runningKey), r),
        "kept temp dir " + runningDir + ": its demo (pid " + r + ") is running");

    assertThat(SharedMemoryWorkloadTest.sysvKeys("shm")).doesNotContain(killedKey).contains(runningKey);
    assertThat(SharedMemoryWorkloadTest.sysvKeys("sem")).doesNotContain(killedKey).contains(runningKey);
    assertThat(killedDir).doesNotExist();
    terminate(running);
    assertThat(SharedMemoryWorkloadTest.sysvKeys("shm")).doesNotContain(runningKey);
    assertThat(SharedMemoryWorkloadTest.sysvKeys("sem")).doesNotContain(runningKey);
    assertThat(runningDir).doesNotExist();
  }

  /** The id of the segment ({@code table} "shm") or semaphore set ("sem") of {@code key}. */
  private static int sysvId(String table, int key) throws Exception {
    return Files.readAllLines(Path.of("/proc/sysvipc", table)).stream()
        .skip(1)
        .map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length > 1 && (int) Long.parseLong(f[0]) == key)
        .mapToInt(f -> Integer.parseInt(f[1]))
        .findFirst()
        .orElseThrow(() -> new AssertionError(String.format("no %s of key 0x%08x", table, key)));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void mmapFileOfAKilledDemoGoesWithItsTempDir() throws Exception {
    DemoRuns.Started killed = demos.start("mmap-file");
    Thread.sleep(300); // Mid-traffic.
    long k = killed.pid();
    Path dir = demos.tempDirOf("mmap-file", k);
    DemoRuns.kill(killed);
    assertThat(dir.resolve("shared.map")).exists();

    assertThat(cleanupLinesAbout(killed)).containsExactly(
        "removed temp dir " + dir + ": its demo (pid " + k + ") is gone");
    assertThat(dir).doesNotExist();
  }
}
