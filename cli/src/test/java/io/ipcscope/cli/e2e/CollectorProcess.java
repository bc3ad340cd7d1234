package io.ipcscope.cli.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ipcscope collect} in its own JVM: started with the environment a user would give it, awaited
 * until it says "Collecting", stopped with SIGTERM or awaited with its command. Its stdout (the command's) goes to
 * a file.
 */
final class CollectorProcess implements AutoCloseable {

  private final Process process;
  private final Path stdout;
  private final StringBuilder stderr = new StringBuilder();
  private Thread stderrDrain;

  private CollectorProcess(Process process, Path stdout) {
    this.process = process;
    this.stdout = stdout;
  }

  static CollectorProcess start(Path dir, Map<String, String> environment, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(TracerProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
    cmd.add("collect");
    if (!List.of(args).contains("--socket") && !List.of(args).contains("--no-socket")) {
      // never the default socket: another collector on this host (a user's, another test run's) may own it
      cmd.addAll(List.of("--socket", dir.resolve("collector.sock").toString()));
    }
    cmd.addAll(List.of(args));
    Path stdout = dir.resolve("collect-stdout.txt");
    ProcessBuilder builder = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(stdout.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
    builder.environment().putAll(environment);
    CollectorProcess collector = new CollectorProcess(builder.start(), stdout);
    collector.awaitCollecting();
    return collector;
  }

  private void awaitCollecting() throws IOException {
    BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = err.readLine()) != null) {
      stderr.append(line).append('\n');
      if (line.startsWith("Collecting")) {
        BufferedReader rest = err;
        stderrDrain = new Thread(() -> drain(rest), "collector-stderr");
        stderrDrain.setDaemon(true);
        stderrDrain.start();
        return;
      }
    }
    throw new IllegalStateException("collect ended before it said 'Collecting':\n" + stderr);
  }

  private void drain(BufferedReader err) {
    try {
      String line;
      while ((line = err.readLine()) != null) {
        synchronized (stderr) {
          stderr.append(line).append('\n');
        }
      }
    } catch (IOException ignored) {
      // it ended
    }
  }

  /** SIGTERM; returns how long it took to end, in milliseconds. */
  long stop() throws InterruptedException {
    long t0 = System.nanoTime();
    process.toHandle().destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("collect did not stop within 20 s of SIGTERM:\n" + stderr());
    }
    long millis = (System.nanoTime() - t0) / 1_000_000L;
    stderrDrain.join(5_000);
    return millis;
  }

  /** With {@code collect -- COMMAND}: waits for it to end with its command. */
  int awaitExit(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("collect did not end with its command within " + seconds + " s:\n" + stderr());
    }
    stderrDrain.join(5_000);
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  Path stdout() {
    return stdout;
  }

  String stderr() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
