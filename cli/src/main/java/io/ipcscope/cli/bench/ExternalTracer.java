package io.ipcscope.cli.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Another tool counting the same calls (bpftrace, perf trace, strace), run as a child process for comparison.
 * It is live once a line containing {@code readyMarker} appears on its output, or after a grace period.
 */
final class ExternalTracer implements TracerMode {

  private final String name;
  private final BiFunction<Long, Long, List<String>> command;
  private final String readyMarker;
  private Process process;

  private ExternalTracer(String name, BiFunction<Long, Long, List<String>> command, String readyMarker) {
    this.name = name;
    this.command = command;
    this.readyMarker = readyMarker;
  }

  /**
   * bpftrace counting the calls of {@code transport} per pid in a map, as a baseline eBPF tool would: the exits of
   * its syscalls, or for a handoff in libc (semaphores in shared memory) the entries of its libc functions, by
   * uprobes on the libc the driver has mapped.
   */
  static ExternalTracer bpftrace(Transport.Kind transport) {
    return new ExternalTracer("bpftrace",
        (d, p) -> List.of("bpftrace", "-e", bpftraceProbes(transport, libcOf(d)) + " { @[pid] = count(); }"),
        "Attaching");
  }

  static String bpftraceProbes(Transport.Kind transport, String libc) {
    String prefix = transport.inLibc() ? "uprobe:" + libc + ":" : "tracepoint:syscalls:sys_exit_";
    return String.join(",", transport.calls().stream().map(c -> prefix + c).toList());
  }

  /** The path of the libc {@code pid} has mapped; "libc" (bpftrace looks the library up) if it cannot be read. */
  static String libcOf(long pid) {
    try (var lines = java.nio.file.Files.lines(java.nio.file.Path.of("/proc", Long.toString(pid), "maps"))) {
      return lines.map(l -> l.substring(l.lastIndexOf(' ') + 1))
          .filter(path -> path.endsWith("/libc.so.6"))
          .findFirst().orElse("libc");
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return "libc";
    }
  }

  /**
   * Why perf trace and strace do not run for {@code transport}, or null when they do. Both can filter only on
   * syscalls, and a semaphore handoff makes a futex(2) call only when the other side sleeps, among the JVM's own
   * futex calls: counting futex would be neither the same events nor the same cost. (perf could count uprobes, but
   * only after "perf probe -x libc" adds system-wide probe events that must be removed again; ltrace is not a
   * comparison anyone would make for overhead.)
   */
  static String notApplicable(Transport.Kind transport) {
    return transport.inLibc()
        ? "perf-trace, strace: not run over " + transport.id() + ": its handoff is libc " + String.join("/",
            transport.calls()) + ", which has no syscall of its own to filter on"
        : null;
  }

  static ExternalTracer perfTrace(List<String> syscalls) {
    return new ExternalTracer("perf-trace", (d, p) -> List.of("perf", "trace", "-e", String.join(",", syscalls),
        "-o", "/dev/null", "-p", d + "," + p), null);
  }

  static ExternalTracer strace(List<String> syscalls) {
    return new ExternalTracer("strace", (d, p) -> List.of("strace", "-f", "-qq", "-e",
        "trace=" + String.join(",", syscalls), "-o", "/dev/null", "-p", Long.toString(d), "-p", Long.toString(p)),
        null);
  }

  static boolean installed(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(":")) {
      if (new File(dir, tool).canExecute()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void start(long driverPid, long pongPid) throws Exception {
    process = new ProcessBuilder(new ArrayList<>(command.apply(driverPid, pongPid))).redirectErrorStream(true).start();
    if (readyMarker == null) {
      Thread.sleep(1500); // no ready signal: give it time to attach to every thread
      drainInBackground();
      return;
    }
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String line;
    while ((line = out.readLine()) != null && !line.contains(readyMarker)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(name + " did not attach within 30 s");
      }
    }
    if (line == null) {
      throw new IllegalStateException(name + " exited before attaching");
    }
    Thread.sleep(200);
    drainInBackground();
  }

  private void drainInBackground() {
    Thread t = new Thread(() -> {
      try {
        process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      } catch (Exception ignored) {
        // the tool ended
      }
    }, name + "-output");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws Exception {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }
}
