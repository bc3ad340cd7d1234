package io.ipcscope.probes;

import io.ipcscope.probes.bpf.BpfException;
import io.ipcscope.probes.bpf.Libbpf;
import io.ipcscope.probes.event.Mechanism;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** The preflight checks of {@code ipcscope doctor}: can this host run ipcscope's probes, and which of them. */
public final class SystemChecks {
  private static final Path BTF = Path.of("/sys/kernel/btf/vmlinux");
  /** bpf_rdonly_cast (6.2) is the newest feature the probes need; they are tested on 6.18. */
  private static final int MIN_MAJOR = 6;
  private static final int MIN_MINOR = 2;

  private SystemChecks() {}

  /** Every check, including loading and attaching each probe program (then detaching it). */
  public static List<Check> run() {
    List<Check> checks = new ArrayList<>(environment());
    boolean canLoad = checks.stream().filter(c -> c.name().equals("privileges") || c.name().equals("libbpf"))
        .allMatch(Check::ok);
    if (canLoad) {
      checks.addAll(probes());
    } else {
      checks.add(Check.fail("probe programs", "not tried: loading needs the checks above", "fix the failed checks above first"));
    }
    return checks;
  }

  /** The checks that load nothing: kernel, BTF, privileges, libbpf. */
  public static List<Check> environment() {
    List<Check> checks = new ArrayList<>();
    checks.add(architecture());
    checks.add(kernel());
    checks.add(btf());
    checks.add(privileges());
    checks.add(libbpf());
    return checks;
  }

  static Check architecture() {
    String arch = System.getProperty("os.name") + " " + System.getProperty("os.arch");
    return Privileges.isX86_64() ? Check.pass("architecture", arch)
        : Check.fail("architecture", arch, "the probes decode x86_64 syscalls: run on Linux x86_64");
  }

  static Check kernel() {
    String release;
    try {
      release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
    } catch (IOException e) {
      return Check.fail("kernel", "cannot read /proc/sys/kernel/osrelease: " + e.getMessage(), "is /proc mounted?");
    }
    String[] parts = release.split("[.-]");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = Integer.parseInt(parts[1]);
      boolean ok = major > MIN_MAJOR || (major == MIN_MAJOR && minor >= MIN_MINOR);
      return ok ? Check.pass("kernel", release)
          : Check.fail("kernel", release, "needs Linux " + MIN_MAJOR + "." + MIN_MINOR + " or newer");
    } catch (RuntimeException e) {
      return Check.fail("kernel", release, "cannot parse the kernel version");
    }
  }

  static Check btf() {
    if (Files.isReadable(BTF)) {
      try {
        return Check.pass("kernel BTF", BTF + " (" + Files.size(BTF) / 1024 + " KiB)");
      } catch (IOException e) {
        return Check.pass("kernel BTF", BTF.toString());
      }
    }
    return Check.fail("kernel BTF", BTF + " missing",
        "the probes are CO-RE: use a kernel built with CONFIG_DEBUG_INFO_BTF=y");
  }

  static Check privileges() {
    Privileges p = Privileges.current();
    return p.sufficient() ? Check.pass("privileges", p.describe())
        : Check.fail("privileges", p.describe(), "loading probes needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN):"
            + " run as root with its usual capabilities, or grant them (systemd AmbientCapabilities=, setcap)");
  }

  static Check libbpf() {
    try {
      Libbpf.ensureLoaded();
      String v = Libbpf.version();
      String[] mm = v.split("\\.");
      boolean ok = Integer.parseInt(mm[0]) >= 1;
      return ok ? Check.pass("libbpf", Libbpf.libraryFile() + " (API " + v + "), " + Libbpf.numPossibleCpus() + " possible CPUs")
          : Check.fail("libbpf", "libbpf " + v, "needs libbpf 1.x (Debian 12: apt-get install libbpf1)");
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Check.fail("libbpf", "libbpf.so.1 not loadable: " + e.getMessage(),
          "apt-get install libbpf1 (Debian/Ubuntu) or libbpf (Fedora)");
    }
  }

  /** Loads every probe object, attaches every program, reports each, and detaches. */
  public static List<Check> probes() {
    EnumSet<Mechanism> all = EnumSet.copyOf(ProbeConfig.defaultMechanisms());
    all.add(Mechanism.BENCH);
    // every probe, the opt-in libc uprobes too: the doctor says whether each could be used
    ProbeConfig config = ProbeConfig.builder().mechanisms(all).libcUprobes(true).build();
    return probes(config, ProbeObject.forConfig(config));
  }

  /** What a program that is not there costs the user, and why, in one line. */
  private static String consequence(ProbeStatus p) {
    boolean uprobe = p.section().equals("uprobe");
    String what = uprobe ? "POSIX semaphores (trace --posix-semaphores) will not be seen"
        : "mechanism " + p.mechanism().id() + " will not be traced";
    boolean denied = p.reason().contains("EACCES") || p.reason().contains("EPERM");
    return what + (denied ? ": not permitted (uprobes need root, or CAP_SYS_ADMIN / a lower "
        + "kernel.perf_event_paranoid)" : " on this kernel");
  }

  static List<Check> probes(ProbeConfig config, List<ProbeObject> objects) {
    List<Check> checks = new ArrayList<>();
    try (ProbeSession s = ProbeSession.open(config, objects)) {
      for (ProbeStatus p : s.status()) {
        String name = "probe " + p.object() + ":" + p.program();
        String detail = p.section() + ": " + p.state() + (p.reason().isEmpty() ? "" : " (" + p.reason() + ")");
        checks.add(p.ok() ? Check.pass(name, detail) : Check.fail(name, detail, consequence(p)));
      }
    } catch (BpfException e) {
      checks.add(Check.fail("probe programs", e.getMessage(), "see the reason per program above; run with "
          + "-Djava.util.logging.config for libbpf's log at FINE"));
    }
    return checks;
  }
}
