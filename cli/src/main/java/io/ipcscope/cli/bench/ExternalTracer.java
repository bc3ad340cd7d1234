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
 * Another tool counting the same syscalls (bpftrace, perf trace, strace), run as a child process for comparison.
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

  /** bpftrace counting the exits of {@code syscalls} per pid in a map, as a baseline eBPF tool would. */
  static ExternalTracer bpftrace(List<String> syscalls) {
    String probes = String.join(",", syscalls.stream().map(s -> "tracepoint:syscalls:sys_exit_" + s).toList());
    return new ExternalTracer("bpftrace", (d, p) -> List.of("bpftrace", "-e", probes + " { @[pid] = count(); }"),
        "Attaching");
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
