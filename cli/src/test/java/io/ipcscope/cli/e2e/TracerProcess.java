package io.ipcscope.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ipcscope trace --json} in its own JVM, as a user runs it: started, awaited until it says
 * "Tracing", stopped with SIGTERM, its JSON Lines read back.
 */
final class TracerProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path output;
  private final StringBuilder stderr = new StringBuilder();
  private Thread stderrDrain;

  private TracerProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static TracerProcess start(Path dir, String... extraArgs) throws IOException {
    Path output = dir.resolve("trace.jsonl");
    List<String> cmd = new ArrayList<>(javaCommand("io.ipcscope.cli.Ipcscope"));
    cmd.addAll(List.of("trace", "--json", "-o", output.toString()));
    cmd.addAll(List.of(extraArgs));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    TracerProcess tracer = new TracerProcess(p, output);
    tracer.awaitTracing();
    return tracer;
  }

  static List<String> javaCommand(String mainClass) {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), mainClass);
  }

  private void awaitTracing() throws IOException {
    BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = err.readLine()) != null) {
      stderr.append(line).append('\n');
      if (line.startsWith("Tracing")) {
        stderrDrain = new Thread(() -> drainStderr(err), "tracer-stderr");
        stderrDrain.setDaemon(true);
        stderrDrain.start();
        return;
      }
    }
    throw new IllegalStateException("the tracer ended before it said 'Tracing':\n" + stderr);
  }

  private void drainStderr(BufferedReader err) {
    try {
      String line;
      while ((line = err.readLine()) != null) {
        synchronized (stderr) {
          stderr.append(line).append('\n');
        }
      }
    } catch (IOException ignored) {
      // the tracer ended
    }
  }

  /** SIGTERM, as systemd or a user's kill would send; the tracer must end cleanly and flush everything. */
  List<JsonNode> stop() throws Exception {
    // the handle's destroy: Process.destroy() also closes our end of its stderr, and its last lines would be lost
    process.toHandle().destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the tracer did not stop within 20 s of SIGTERM:\n" + stderr());
    }
    stderrDrain.join(5_000); // its last lines (the summary) come after it exited
    return read();
  }

  /** With {@code trace -- COMMAND}: waits for the tracer to end with its command, then reads what it wrote. */
  List<JsonNode> awaitExit(int seconds) throws Exception {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the tracer did not end with its command within " + seconds + " s:\n" + stderr());
    }
    stderrDrain.join(5_000);
    return read();
  }

  private List<JsonNode> read() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(output)) {
      events.add(JSON.readTree(line));
    }
    return events;
  }

  String stderr() {
    synchronized (stderr) {
      return stderr.toString();
    }
  }

  long pid() {
    return process.pid();
  }

  int exitCode() {
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
