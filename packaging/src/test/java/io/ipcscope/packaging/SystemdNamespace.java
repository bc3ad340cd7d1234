package io.ipcscope.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real systemd, as PID 1 of a pid and mount namespace of its own ({@code unshare --pid --fork --mount
 * --mount-proc}), for a machine whose PID 1 is not systemd (this one's and CI's are a VM's init). It starts one
 * service, with the host's unit files, under a target of its own; its /run is a fresh tmpfs, so nothing it writes
 * there reaches the host.
 *
 * <p>It runs no early boot: the target and a drop-in say {@code DefaultDependencies=no}, so the service's own
 * ordering (after sysinit.target and network-online.target) is left to {@code systemd-analyze verify}, and the
 * services that would change the host itself (udev, sysctl, modules, time, binfmt, getty, PostgreSQL) are masked in
 * the namespace's /run.
 */
final class SystemdNamespace implements AutoCloseable {

  private static final List<String> MASKED = List.of("systemd-udevd.service", "systemd-udev-trigger.service",
      "systemd-sysctl.service", "systemd-modules-load.service", "systemd-timesyncd.service",
      "systemd-binfmt.service", "getty@tty1.service", "postgresql.service");

  private final Process unshare;
  private final long systemd;

  private SystemdNamespace(Process unshare, long systemd) {
    this.unshare = unshare;
    this.systemd = systemd;
  }

  /** Boots systemd with {@code service} wanted, and waits (up to 30 s) until it answers. */
  static SystemdNamespace boot(Path dir, String service) throws IOException, InterruptedException {
    StringBuilder script = new StringBuilder("""
        set -e
        mount -t tmpfs -o mode=755 tmpfs /run
        mkdir -p /run/systemd/system/%1$s.d
        printf '[Unit]\\nDefaultDependencies=no\\nWants=%1$s\\n' > /run/systemd/system/check.target
        printf '[Unit]\\nDefaultDependencies=no\\n' > /run/systemd/system/%1$s.d/check.conf
        """.formatted(service));
    for (String unit : MASKED) {
      script.append("ln -s /dev/null /run/systemd/system/").append(unit).append('\n');
    }
    script.append("export container=ipcscope-check\n")
        .append("exec /lib/systemd/systemd --system --unit=check.target --show-status=no\n");
    Path file = dir.resolve("boot-systemd.sh");
    Files.writeString(file, script);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    Process unshare = new ProcessBuilder("unshare", "--pid", "--fork", "--mount", "--mount-proc",
        "--propagation", "private", file.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("systemd-console.txt").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      List<ProcessHandle> children = unshare.children().toList();
      if (!children.isEmpty()) {
        SystemdNamespace ns = new SystemdNamespace(unshare, children.get(0).pid());
        if (ns.run("systemctl", "is-system-running").output().matches("(?s)(running|degraded|starting).*")) {
          return ns;
        }
      }
      if (!unshare.isAlive()) {
        throw new AssertionError("systemd ended: " + Files.readString(dir.resolve("systemd-console.txt")));
      }
      Thread.sleep(200);
    }
    unshare.destroyForcibly();
    throw new AssertionError("systemd did not answer within 30 s: "
        + Files.readString(dir.resolve("systemd-console.txt")));
  }

  /** Runs {@code command} in the namespace (its /run, its systemd). */
  Run run(String... command) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("nsenter", "--target", Long.toString(systemd), "--mount", "--pid",
        "--"));
    all.addAll(List.of(command));
    return Run.of(all.toArray(String[]::new));
  }

  /** A property of a unit, as {@code systemctl show} says it. */
  String property(String unit, String name) throws IOException, InterruptedException {
    return run("systemctl", "show", unit, "--value", "-p", name).output().strip();
  }

  /** Our pid of the namespace's process {@code nsPid}: systemd's descendants, matched by their NSpid. */
  long hostPid(long nsPid) throws IOException {
    for (ProcessHandle p : ProcessHandle.of(systemd).orElseThrow().descendants().toList()) {
      for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
        if (line.startsWith("NSpid:") && line.trim().endsWith("\t" + nsPid)) {
          return p.pid();
        }
      }
    }
    throw new AssertionError("no process " + nsPid + " in the namespace");
  }

  /** Ends the namespace: its PID 1 killed, the kernel kills the rest. */
  @Override
  public void close() throws InterruptedException {
    ProcessHandle.of(systemd).ifPresent(ProcessHandle::destroyForcibly);
    unshare.destroyForcibly();
    unshare.waitFor(10, TimeUnit.SECONDS);
  }
}
