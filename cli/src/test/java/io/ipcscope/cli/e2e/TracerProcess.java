package io.ipcscope.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The real {@code ipcscope trace --json} in its own JVM, as a user runs it: started, awaited until it says
 * "Tracing", stopped with SIGTERM, its JSON Lines read back.
 */
final class TracerProcess extends CliProcess {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path output;

  private TracerProcess(Process process, Path output) {
    super(process);
    this.output = output;
  }

  static TracerProcess start(Path dir, String... extraArgs) throws IOException {
    Path output = dir.resolve("trace.jsonl");
    List<String> cmd = new ArrayList<>(javaCommand("io.ipcscope.cli.Ipcscope"));
    cmd.addAll(List.of("trace", "--json", "-o", output.toString()));
    cmd.addAll(List.of(extraArgs));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    TracerProcess tracer = new TracerProcess(p, output);
    tracer.awaitReady("Tracing");
    return tracer;
  }

  /** SIGTERM, as systemd or a user's kill would send; the tracer must end cleanly and flush everything. */
  List<JsonNode> stop() throws Exception {
    terminate();
    return read();
  }

  /** With {@code trace -- COMMAND}: waits for the tracer to end with its command, then reads what it wrote. */
  List<JsonNode> awaitExit(int seconds) throws Exception {
    awaitEnd(seconds);
    return read();
  }

  private List<JsonNode> read() throws IOException {
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(output)) {
      events.add(JSON.readTree(line));
    }
    return events;
  }

  int exitCode() {
    return process.exitValue();
  }
}
