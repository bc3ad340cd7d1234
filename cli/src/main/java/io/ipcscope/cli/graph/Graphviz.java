package io.ipcscope.cli.graph;

import io.ipcscope.cli.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders dot to svg or png with Graphviz's {@code dot}, when it is installed. */
final class Graphviz {

  private Graphviz() {}

  static byte[] render(String dot, GraphFormat format) {
    Process process;
    try {
      process = new ProcessBuilder(List.of("dot", "-T" + format.id())).redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UserError("--format " + format.id() + " needs Graphviz's dot: install graphviz (apt-get install "
          + "graphviz), or use --format dot and render it elsewhere");
    }
    try (OutputStream in = process.getOutputStream(); InputStream out = process.getInputStream()) {
      in.write(dot.getBytes(StandardCharsets.UTF_8));
      in.close();
      byte[] image = out.readAllBytes();
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new UserError("Graphviz's dot could not render the graph (exit " + process.exitValue() + ")");
      }
      return image;
    } catch (IOException e) {
      throw new UserError("Graphviz's dot failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted while Graphviz rendered the graph");
    } finally {
      process.destroy();
    }
  }
}
