package io.ipcscope.cli.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real {@code ipcscope collect} in its own JVM: started with the environment a user would give it, awaited
 * until it says "Collecting", stopped with SIGTERM or awaited with its command. Its stdout (the command's) goes to
 * a file.
 */
final class CollectorProcess extends CliProcess {

  private final Path stdout;

  private CollectorProcess(Process process, Path stdout) {
    super(process);
    this.stdout = stdout;
  }

  static CollectorProcess start(Path dir, Map<String, String> environment, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(javaCommand("io.ipcscope.cli.Ipcscope"));
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
    collector.awaitReady("Collecting");
    return collector;
  }

  /** SIGTERM; returns how long it took to end, in milliseconds. */
  long stop() throws InterruptedException {
    return terminate();
  }

  /** With {@code collect -- COMMAND}: waits for it to end with its command. */
  int awaitExit(int seconds) throws InterruptedException {
    return awaitEnd(seconds);
  }

  Path stdout() {
    return stdout;
  }
}
