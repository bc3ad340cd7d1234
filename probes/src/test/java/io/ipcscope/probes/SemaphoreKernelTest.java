package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** POSIX semaphores through the libc uprobes of sem.bpf.o. */
@ExtendWith(KernelTestSupport.class)
class SemaphoreKernelTest {

  private static final int OPERATIONS = 20_000;
  /** sem.bpf.c: the mapping could not be looked up (the mm lock was taken). */
  private static final int SEM_MAPPING_UNKNOWN = 1;

  @TempDir Path dir;

  /**
   * Every sem_post and sem_wait on a semaphore in shared memory is recorded, also while other threads of the process
   * keep the mmap lock busy: a call whose mapping the kernel could not look up is marked, not lost.
   */
  @Test
  @Timeout(120)
  void everyCallOnASharedSemaphoreIsRecordedWhileOtherThreadsMapAndUnmap() throws Exception {
    TestObjects.requireCommitted("sem.bpf.o");
    Path addressFile = dir.resolve("address");
    ProbeConfig config = ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.PROCESS, Mechanism.SEM))
        .libcUprobes(true).build();
    try (ProbeSession s = ProbeSession.open(config)) {
      assertThat(s.status()).filteredOn(p -> p.object().equals("sem.bpf.o")).isNotEmpty()
          .allSatisfy(p -> assertThat(p.attached()).as(p.toString()).isTrue());
      String java = ProcessHandle.current().info().command().orElse("java");
      List<IpcEvent> events = Tracing.ofTree(s, java, "-cp", System.getProperty("java.class.path"),
          ChurningSemaphoreUser.class.getName(), addressFile.toString(), Integer.toString(OPERATIONS), "2");
      long address = Long.parseUnsignedLong(Files.readString(addressFile).trim(), 16);
      List<IpcEvent> calls = events.stream()
          .filter(e -> e.mechanism() == Mechanism.SEM && e.extra() == address).toList();
      long unknown = calls.stream().filter(e -> e.status() == SEM_MAPPING_UNKNOWN).count();
      System.out.println("calls on the shared semaphore: " + calls.size() + ", mapping unknown: " + unknown);
      assertThat(s.drops()).isZero();
      assertThat(calls).filteredOn(e -> e.op() == Operation.POST).as("sem_post records (%d marked)", unknown)
          .hasSize(OPERATIONS);
      assertThat(calls).filteredOn(e -> e.op() == Operation.WAIT).as("sem_wait records (%d marked)", unknown)
          .hasSize(OPERATIONS);
    }
  }
}
