package io.ipcscope.demo.truth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What one process did to one semaphore.
 *
 * @param kind {@link #SYSV} (a semaphore of a semget set) or {@link #POSIX} (sem_open)
 * @param name a stable human name, unique per kind in the workload, e.g. "empty slots"
 * @param path "/dev/shm/sem.NAME" for a POSIX named semaphore, the set's key as "0x%08x" and the
 *     semaphore's number as "0x%08x[N]" for System V
 * @param posts operations that added to the semaphore (sem_post; semop with sem_op &gt; 0)
 * @param waits operations that took from it (sem_wait; semop with sem_op &lt; 0), blocked or not
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TruthSemaphore(String kind, String name, String path, long pid, long posts, long waits) {

  public static final String SYSV = "sysv";
  public static final String POSIX = "posix";

  public TruthSemaphore {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(path, "path");
  }
}
