package io.ipcscope.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end: its exit code and what it printed (stdout and stderr together). */
record Run(List<String> command, int exit, String output) {

  static Run of(String... command) throws IOException, InterruptedException {
    return in(null, Map.of(), command);
  }

  static Run in(Path dir, Map<String, String> environment, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    builder.environment().putAll(environment);
    Process p = builder.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within 120 s");
    }
    return new Run(List.of(command), p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return String.join(" ", command) + " -> exit " + exit + ":\n" + output;
  }
}
