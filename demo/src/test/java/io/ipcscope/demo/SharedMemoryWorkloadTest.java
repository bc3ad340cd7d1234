package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.GroundTruthJson;
import io.ipcscope.demo.truth.TruthProcess;
import io.ipcscope.demo.truth.TruthSemaphore;
import io.ipcscope.demo.truth.TruthSharedMemory;
import io.ipcscope.demo.truth.TruthSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared-memory workloads as real processes: who mapped what how often, every semaphore
 * operation per process, and nothing left behind (no child, no /dev/shm object, no System V
 * segment or semaphore set of the demo's key, no temp dir).
 */
class SharedMemoryWorkloadTest {

  @TempDir Path dir;

  private final long self = ProcessHandle.current().pid();

  private GroundTruth runOk(String... args) throws Exception {
    Path truthFile = dir.resolve("truth.json");
    String[] all = Stream.concat(Stream.of(args), Stream.of("--truth", truthFile.toString())).toArray(String[]::new);
    Demo demo = Demo.run(all);
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.err().lines().toList())
        .hasSize(2)
        .first().asString().startsWith("demo " + args[0] + ": pids parent=" + self);
    GroundTruth truth = GroundTruthJson.read(truthFile);
    assertThat(truth.workload()).isEqualTo(args[0]);
    for (TruthProcess p : truth.processes()) {
      if (!p.role().equals("parent")) {
        assertThat(Demo.alive(p.pid())).as("%s (pid %d) is gone", p.role(), p.pid()).isFalse();
      }
    }
    assertThat(truth.channels()).as("no syscall carries data through shared memory").isEmpty();
    assertThat(tempDirs(args[0])).as("temp dirs of this run").isEmpty();
    return truth;
  }

  /** This JVM's temp dirs of {@code workload} runs: none once a run is over. */
  private List<Path> tempDirs(String workload) throws Exception {
    try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return entries.filter(p -> p.getFileName().toString().startsWith("ipcscope-demo-" + workload + "-" + self + "-"))
          .toList();
    }
  }

  private static void assertOnlyChildExitSignals(GroundTruth truth, String... roles) {
    long parent = truth.pid("parent");
    assertThat(truth.signals()).containsExactlyInAnyOrderElementsOf(Stream.of(roles)
        .map(r -> new TruthSignal("SIGCHLD", truth.pid(r), parent, 1, TruthSignal.KERNEL, null)).toList());
  }

  private static void assertRoles(GroundTruth truth, String... roles) {
    assertThat(truth.processes()).extracting(TruthProcess::role, TruthProcess::comm)
        .containsExactlyElementsOf(Stream.concat(
            Stream.of(tuple("parent", truth.process("parent").comm())),
            Stream.of(roles).map(r -> tuple(r, "java"))).toList());
  }

  private void assertNoPosixObjects() {
    assertThat(PosixShm.objectPath(PosixShmWorkload.objectName(self))).doesNotExist();
    assertThat(PosixShm.semaphorePath(PosixShmWorkload.semaphoreName(self, "empty"))).doesNotExist();
    assertThat(PosixShm.semaphorePath(PosixShmWorkload.semaphoreName(self, "full"))).doesNotExist();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void posixShmMapsTheRingOncePerChildAndCountsEverySemaphoreOperation() throws Exception {
    GroundTruth truth = runOk("posix-shm", "--messages", "500", "--size", "100");

    long producer = truth.pid("producer");
    long consumer = truth.pid("consumer");
    assertRoles(truth, "consumer", "producer");
    assertThat(truth.sharedMemory()).containsExactly(new TruthSharedMemory("posix_shm", "ring",
        "/dev/shm/ipcscope-demo-" + self + "-ring", 8 * (16 + 104), List.of(producer, consumer), 2));
    String empty = "/dev/shm/sem.ipcscope-demo-" + self + "-empty";
    String full = "/dev/shm/sem.ipcscope-demo-" + self + "-full";
    assertThat(truth.semaphores()).containsExactlyInAnyOrder(
        new TruthSemaphore("posix", "empty", empty, producer, 0, 500),
        new TruthSemaphore("posix", "empty", empty, consumer, 500, 0),
        new TruthSemaphore("posix", "full", full, producer, 500, 0),
        new TruthSemaphore("posix", "full", full, consumer, 0, 500));
    assertOnlyChildExitSignals(truth, "consumer", "producer");
    assertNoPosixObjects();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void posixShmCountsWhatWasSentInContinuousModeAndTakesLargeRecords() throws Exception {
    GroundTruth truth = runOk("posix-shm", "--duration", "1", "--rate", "50", "--size", "6000000");

    long n = truth.semaphores().get(0).waits();
    assertThat(n).isGreaterThan(1).isLessThanOrEqualTo(50);
    assertThat(truth.semaphores()).extracting(TruthSemaphore::name, TruthSemaphore::posts, TruthSemaphore::waits)
        .containsExactly(tuple("empty", 0L, n), tuple("empty", n, 0L), tuple("full", n, 0L), tuple("full", 0L, n));
    // 6 MB records: 8 slots would pass the 32 MiB budget, so fewer.
    assertThat(truth.sharedMemory()).singleElement().satisfies(m -> {
      assertThat(m.sizeBytes()).isEqualTo(ShmRing.slots(6_000_000) * (16L + 6_000_000));
      assertThat(m.attaches()).isEqualTo(2);
    });
    assertThat(ShmRing.slots(6_000_000)).isEqualTo(5);
    assertNoPosixObjects();
  }

  /** The keys of /proc/sysvipc/shm or /proc/sysvipc/sem (what {@code ipcs -m}, {@code ipcs -s} show). */
  static List<Integer> sysvKeys(String table) throws Exception {
    return Files.readAllLines(Path.of("/proc/sysvipc", table)).stream()
        .skip(1) // Header.
        .map(String::trim)
        .filter(l -> !l.isEmpty())
        .map(l -> (int) Long.parseLong(l.split("\\s+")[0]))
        .toList();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sysvShmAttachesTheSegmentOncePerChildAndCountsEverySemop() throws Exception {
    GroundTruth truth = runOk("sysv-shm", "--messages", "500", "--size", "100", "--rate", "2000");

    long producer = truth.pid("producer");
    long consumer = truth.pid("consumer");
    int key = 0x53000000 | (int) self;
    String path = String.format("0x%08x", key);
    assertRoles(truth, "consumer", "producer");
    assertThat(truth.sharedMemory()).containsExactly(
        new TruthSharedMemory("sysv_shm", "ring", path, 8 * (16 + 104), List.of(producer, consumer), 2));
    assertThat(truth.semaphores()).containsExactlyInAnyOrder(
        new TruthSemaphore("sysv", "empty", path + "[0]", producer, 0, 500),
        new TruthSemaphore("sysv", "empty", path + "[0]", consumer, 500, 0),
        new TruthSemaphore("sysv", "full", path + "[1]", producer, 500, 0),
        new TruthSemaphore("sysv", "full", path + "[1]", consumer, 0, 500));
    assertOnlyChildExitSignals(truth, "consumer", "producer");
    assertThat(sysvKeys("shm")).doesNotContain(key);
    assertThat(sysvKeys("sem")).doesNotContain(key);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sysvShmWithOneRecordHandsItOverAndCountsOneOfEach() throws Exception {
    GroundTruth truth = runOk("sysv-shm", "--messages", "1", "--size", "1");

    assertThat(truth.sharedMemory()).singleElement()
        .satisfies(m -> assertThat(m.sizeBytes()).isEqualTo(8 * (16 + 8)));
    assertThat(truth.semaphores()).extracting(TruthSemaphore::name, TruthSemaphore::pid, TruthSemaphore::posts,
        TruthSemaphore::waits).containsExactly(
            tuple("empty", truth.pid("producer"), 0L, 1L), tuple("empty", truth.pid("consumer"), 1L, 0L),
            tuple("full", truth.pid("producer"), 1L, 0L), tuple("full", truth.pid("consumer"), 0L, 1L));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void mmapFileIsMappedOncePerChildAndIsItsOnlyLink() throws Exception {
    GroundTruth truth = runOk("mmap-file", "--messages", "20000", "--size", "100");

    long writer = truth.pid("writer");
    long reader = truth.pid("reader");
    assertRoles(truth, "reader", "writer");
    TruthSharedMemory file = truth.sharedMemory().get(0);
    assertThat(truth.sharedMemory()).containsExactly(new TruthSharedMemory("posix_shm", "file", file.path(),
        128 + 8 * 104, List.of(writer, reader), 2));
    Path path = Path.of(file.path());
    assertThat(path.isAbsolute()).isTrue();
    assertThat(path.getFileName()).hasToString("shared.map");
    assertThat(path.getParent().getFileName().toString()).startsWith("ipcscope-demo-mmap-file-" + self + "-");
    assertThat(path.getParent()).doesNotExist();
    assertThat(truth.semaphores()).isEmpty();
    assertOnlyChildExitSignals(truth, "reader", "writer");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void mmapFileKeepsGoingInContinuousMode() throws Exception {
    long start = System.nanoTime();
    GroundTruth truth = runOk("mmap-file", "--duration", "1", "--rate", "200", "--size", "10");

    assertThat(truth.sharedMemory()).singleElement()
        .satisfies(m -> assertThat(m.attaches()).isEqualTo(2))
        .satisfies(m -> assertThat(m.sizeBytes()).isEqualTo(128 + 8 * 16));
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aRingWithoutAnyRecordInTimeStillEndsAfterOneEmptyHandover() throws Exception {
    // The 1 ms deadline passes before the children start: the pacer grants no record.
    GroundTruth truth = runOk("posix-shm", "--duration", "0.001");

    assertThat(truth.sharedMemory()).singleElement().satisfies(m -> assertThat(m.attaches()).isEqualTo(2));
    assertThat(truth.semaphores()).extracting(TruthSemaphore::name, TruthSemaphore::pid, TruthSemaphore::posts,
        TruthSemaphore::waits).containsExactly(
            tuple("empty", truth.pid("producer"), 0L, 1L), tuple("empty", truth.pid("consumer"), 1L, 0L),
            tuple("full", truth.pid("producer"), 1L, 0L), tuple("full", truth.pid("consumer"), 0L, 1L));
    assertNoPosixObjects();
  }
}
