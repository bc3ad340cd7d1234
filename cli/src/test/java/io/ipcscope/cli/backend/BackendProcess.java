package io.ipcscope.cli.backend;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A backend running as its own process, its output in a log file. Started, waited for until healthy, and killed
 * with all its descendants, also when the test JVM exits without closing it, so no backend outlives a test run.
 */
final class BackendProcess implements AutoCloseable {
  private static final Duration HEALTH_INTERVAL = Duration.ofMillis(200);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int LOG_TAIL_LINES = 40;

  private final String name;
  private final Process process;
  private final Path log;
  private final Thread killOnExit;

  private BackendProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.killOnExit = new Thread(() -> kill(process), "kill " + name);
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts {@code command} with {@code environment} added to this JVM's, stdout and stderr both into {@code log}. */
  static BackendProcess start(String name, List<String> command, Map<String, String> environment, Path log)
      throws IOException {
    requireNonNull(command, "command");
    Files.createDirectories(log.toAbsolutePath().getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    return new BackendProcess(name, builder.start(), log);
  }

  /**
   * Waits until {@code healthy} says yes. On timeout or an early exit the process is killed and the error carries
   * the tail of its log, since that is where the reason is.
   */
  void awaitHealthy(BooleanSupplier healthy, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!healthy.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " while starting; " + logTail());
      }
      if (System.nanoTime() - deadline > 0) {
        close();
        throw new IllegalStateException(name + " not healthy within " + timeout + "; " + logTail());
      }
      Poll.sleep(HEALTH_INTERVAL);
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** "log PATH ends with:" and its last lines, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
      return "log " + log.toAbsolutePath() + " ends with:\n  " + String.join("\n  ", tail);
    } catch (IOException e) {
      return "log " + log.toAbsolutePath() + " unreadable: " + e;
    }
  }

  /** Kills the process tree and waits for it; descendants first, since killing the parent orphans them. */
  @Override
  public void close() {
    kill(process);
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException alreadyExiting) {
      // the hook runs, or ran, anyway
    }
  }

  private static void kill(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    descendants.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      for (ProcessHandle descendant : descendants) {
        descendant.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
