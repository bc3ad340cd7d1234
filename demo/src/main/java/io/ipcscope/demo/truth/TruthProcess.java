package io.ipcscope.demo.truth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One process of a workload: its pid, its role in the workload and its comm (as the kernel shows it). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TruthProcess(long pid, String role, String comm) {

  public TruthProcess {
    requireNonNull(role, "role");
    requireNonNull(comm, "comm");
  }
}
