package io.ipcscope.cli.attach;

import io.ipcscope.cli.UserError;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * Where {@code ipcscope attach} finds the agent: the jar given, else {@code ipcscope-agent.jar} next to the running
 * {@code ipcscope.jar}, else {@code agent/target/ipcscope-agent.jar} of the source checkout ipcscope runs from.
 */
final class AgentJar {

  static final String NAME = "ipcscope-agent.jar";

  private AgentJar() {}

  /**
   * @param given the --agent-jar option, or null
   * @param running where ipcscope's own classes come from: its jar, or a classes directory in a build
   */
  static Path find(Path given, Path running) {
    if (given != null) {
      if (!Files.isRegularFile(given)) {
        throw new UserError("no agent jar at " + given + " (--agent-jar)");
      }
      return given.toAbsolutePath();
    }
    List<Path> candidates = candidates(running);
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new UserError("no " + NAME + " found (looked at " + String.join(", ", candidates.stream()
        .map(Path::toString).toList()) + "); give its path with --agent-jar");
  }

  static List<Path> candidates(Path running) {
    List<Path> out = new ArrayList<>();
    Path abs = running.toAbsolutePath().normalize();
    Path dir = Files.isDirectory(abs) ? abs : abs.getParent();
    if (dir == null) {
      return out;
    }
    out.add(dir.resolve(NAME));
    // a source checkout: <repo>/cli/target/ipcscope.jar, or <repo>/cli/target/classes
    for (Path up = dir; up != null; up = up.getParent()) {
      if (up.getFileName() != null && up.getFileName().toString().equals("cli") && up.getParent() != null) {
        out.add(up.getParent().resolve("agent").resolve("target").resolve(NAME));
        break;
      }
    }
    return out;
  }

  /** Where this class was loaded from. */
  static Path running() {
    try {
      return Paths.get(AgentJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | RuntimeException e) {
      return Paths.get(".");
    }
  }
}
