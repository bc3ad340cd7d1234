package io.ipcscope.cli.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An {@code ipcscope} command in its own JVM, as a user runs it: awaited until the line on stderr that says it is
 * live ("Tracing", "Collecting"), its stderr kept, stopped with SIGTERM or awaited until it ends.
 */
abstract class CliProcess implements AutoCloseable {

  final Process process;
  private final StringBuilder stderr = new StringBuilder();
  private Thread stderrDrain;

  CliProcess(Process process) {
    this.process = process;
  }

  static List<String> javaCommand(String mainClass) {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass);
  }

  /** Reads stderr until a line starts with {@code ready}; then keeps reading it on a thread of its own. */
  final void awaitReady(String ready) throws IOException {
    BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = err.readLine()) != null) {
      synchronized (stderr) {
        stderr.append(line).append('\n');
      }
      if (line.startsWith(ready)) {
        stderrDrain = new Thread(() -> drain(err), "cli-stderr");
        stderrDrain.setDaemon(true);
        stderrDrain.start();
        return;
      }
    }
    throw new IllegalStateException("it ended before it said '" + ready + "':\n" + stderr());
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

  /** SIGTERM, as systemd or a user's kill would send; returns how long it took to end, in milliseconds. */
  final long terminate() throws InterruptedException {
    long t0 = System.nanoTime();
    // the handle's destroy: Process.destroy() also closes our end of its stderr, and its last lines would be lost
    process.toHandle().destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("it did not stop within 20 s of SIGTERM:\n" + stderr());
    }
    long millis = (System.nanoTime() - t0) / 1_000_000L;
    stderrDrain.join(5_000); // its last lines (the summary) come after it exited
    return millis;
  }

  /** Waits for it to end by itself (with its command); returns its exit code. */
  final int awaitEnd(int seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("it did not end with its command within " + seconds + " s:\n" + stderr());
    }
    stderrDrain.join(5_000);
    return process.exitValue();
  }

  final String stderr() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  final long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
