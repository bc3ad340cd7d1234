package io.ipcscope.probes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What this process may do with BPF, read from /proc/self/status. */
final class Privileges {
  static final int CAP_PERFMON = 38;
  static final int CAP_BPF = 39;
  static final int CAP_SYS_ADMIN = 21;

  final int euid;
  final long capEff;

  private Privileges(int euid, long capEff) {
    this.euid = euid;
    this.capEff = capEff;
  }

  static Privileges current() {
    int euid = -1;
    long capEff = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          euid = Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
        } else if (line.startsWith("CapEff:")) {
          capEff = Long.parseUnsignedLong(line.substring(7).trim(), 16);
        }
      }
    } catch (IOException | RuntimeException e) {
      // leave unknown: reported as not privileged
    }
    return new Privileges(euid, capEff);
  }

  boolean has(int cap) {
    return (capEff & (1L << cap)) != 0;
  }

  /** The kernel checks capabilities, not the uid: root in a container without CAP_BPF cannot load programs. */
  boolean sufficient() {
    return (has(CAP_BPF) && has(CAP_PERFMON)) || has(CAP_SYS_ADMIN);
  }

  String describe() {
    return "euid " + euid + ", CapEff " + Long.toHexString(capEff) + " (CAP_BPF " + has(CAP_BPF) + ", CAP_PERFMON "
        + has(CAP_PERFMON) + ")";
  }

  static boolean isX86_64() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return System.getProperty("os.name", "").equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }
}
