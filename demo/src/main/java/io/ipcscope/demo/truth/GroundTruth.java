package io.ipcscope.demo.truth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * What a demo workload did, exactly: its processes, the data channels between them, the
 * signals they sent, the file locks they took and waited for, the shared memory they mapped, the
 * semaphores they used and the descriptors they passed. The lists after {@code signals} are empty
 * for workloads without such things, also when read from files written before they existed. Times are {@code System.nanoTime()} of the demo process, which on Linux is
 * CLOCK_MONOTONIC, the clock of {@code bpf_ktime_get_ns()}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GroundTruth(
    String workload,
    long startedNs,
    long endedNs,
    List<TruthProcess> processes,
    List<TruthChannel> channels,
    List<TruthSignal> signals,
    List<TruthLock> locks,
    List<TruthLockWait> lockWaits,
    List<TruthSharedMemory> sharedMemory,
    List<TruthSemaphore> semaphores,
    List<TruthFdPass> fdPasses) {

  public GroundTruth {
    requireNonNull(workload, "workload");
    processes = List.copyOf(requireNonNull(processes, "processes"));
    channels = List.copyOf(requireNonNull(channels, "channels"));
    signals = List.copyOf(requireNonNull(signals, "signals"));
    locks = orEmpty(locks);
    lockWaits = orEmpty(lockWaits);
    sharedMemory = orEmpty(sharedMemory);
    semaphores = orEmpty(semaphores);
    fdPasses = orEmpty(fdPasses);
  }

  /** The process that played {@code role}; fails if there is none. */
  public TruthProcess process(String role) {
    return processes.stream()
        .filter(p -> p.role().equals(role))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException(workload + ": no process with role " + role));
  }

  /** The pid of the process that played {@code role}. */
  public long pid(String role) {
    return process(role).pid();
  }

  /** The channel called {@code name}; fails if there is none. */
  public TruthChannel channel(String name) {
    return channels.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new NoSuchElementException(workload + ": no channel named " + name));
  }

  private static <T> List<T> orEmpty(/* @Nullable */ List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
