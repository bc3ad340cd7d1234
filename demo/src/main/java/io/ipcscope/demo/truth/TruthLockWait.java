package io.ipcscope.demo.truth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Lock requests of one process that slept behind another process's lock.
 *
 * @param kind and {@code name}: the lock, as in {@link TruthLock}
 * @param count how many of the waiter's acquisitions were granted only after {@code holderPid}
 *     released the lock (each such request slept exactly once)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TruthLockWait(String kind, String name, long waiterPid, long holderPid, long count) {

  public TruthLockWait {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
  }
}
