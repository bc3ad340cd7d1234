package io.ipcscope.demo.truth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * File locks one process took on one file.
 *
 * @param kind {@link #FLOCK} (flock(2)) or {@link #POSIX} (fcntl(2) F_SETLKW record lock)
 * @param name a stable human name, unique per kind in the workload, e.g. "lock"
 * @param path the locked file (deleted at the end of the demo)
 * @param acquires how many times the lock was granted to {@code pid}, each released once
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TruthLock(String kind, String name, String path, long pid, long acquires) {

  public static final String FLOCK = "flock";
  public static final String POSIX = "posix";

  public TruthLock {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(path, "path");
  }
}
