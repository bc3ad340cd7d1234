package io.ipcscope.cli;

import io.ipcscope.probes.Check;
import io.ipcscope.probes.SystemChecks;
import java.util.Set;

/** What must hold before probes can load; the first failure is said in one line that names the fix. */
public final class Preflight {

  /** The environment checks a probe load cannot do without (tracefs and the kernel version only warn). */
  private static final Set<String> REQUIRED = Set.of("architecture", "privileges", "kernel BTF", "libbpf");

  private Preflight() {}

  /** Throws {@link UserError} when this process cannot load probes. */
  public static void requireTracingAllowed(String command) {
    for (Check check : SystemChecks.environment()) {
      if (!check.ok() && REQUIRED.contains(check.name())) {
        throw new UserError(command + ": " + check.name() + ": " + check.detail() + ": " + check.advice());
      }
    }
  }
}
