package io.ipcscope.cli.doctor;

import io.ipcscope.probes.Check;
import io.ipcscope.probes.SystemChecks;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ipcscope doctor}: can this host be traced, and which probes attach? */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Checks the kernel, BTF, privileges and libbpf, then loads and attaches every probe and detaches it.",
      "Exit code 0 when every check passes, 1 otherwise."
    },
    footer = {"", "Example:", "  sudo ipcscope doctor"})
public final class DoctorCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    List<Check> checks = SystemChecks.run();
    print(System.out, checks);
    return checks.stream().allMatch(Check::ok) ? 0 : 1;
  }

  static void print(PrintStream out, List<Check> checks) {
    int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(10);
    String row = "%-" + width + "s  %-4s  %s%n";
    out.printf(row, "CHECK", "OK", "DETAIL");
    for (Check c : checks) {
      out.printf(row, c.name(), c.ok() ? "yes" : "NO", c.detail());
      if (!c.ok() && !c.advice().isEmpty()) {
        out.printf(row, "", "", "-> " + c.advice());
      }
    }
    long failed = checks.stream().filter(c -> !c.ok()).count();
    if (failed == 0) {
      out.println("verdict: ready: every check passed, every probe attaches");
    } else {
      out.println("verdict: " + failed + " of " + checks.size() + " checks failed: see the -> lines above");
    }
  }
}
