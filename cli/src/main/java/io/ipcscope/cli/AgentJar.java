package io.ipcscope.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the Java agent's jar ({@code ipcscope-agent.jar}) is, for every command that hands it to a JVM ({@code
 * attach}, {@code bench agent}): the path given on the command line, else {@code -Dipcscope.agent.jar} or
 * {@code IPCSCOPE_AGENT_JAR}, else beside this command line's own jar (an installed layout), else in the source
 * checkout this command line was built in ({@code cli/target/ipcscope.jar} → {@code agent/target/ipcscope-agent.jar}).
 * The one place that knows it.
 */
public final class AgentJar {

  public static final String NAME = "ipcscope-agent.jar";
  public static final String PROPERTY = "ipcscope.agent.jar";
  public static final String VARIABLE = "IPCSCOPE_AGENT_JAR";

  private AgentJar() {}

  /**
   * The agent's jar.
   *
   * @param given the path the user named ({@code --agent-jar}), or null
   * @throws UserError naming every place looked at, when none holds it
   */
  public static Path locate(Path given) {
    return locate(given, System.getProperty(PROPERTY), System.getenv(), running());
  }

  /** The jar given, else beside {@code running} or in its checkout (no property, no variable): for tests. */
  public static Path find(Path given, Path running) {
    return locate(given, null, java.util.Map.of(), running);
  }

  static Path locate(Path given, String property, Map<String, String> environment, Path codeSource) {
    if (given != null) {
      if (!Files.isRegularFile(given)) {
        throw new UserError("no agent jar at " + given + " (--agent-jar)");
      }
      return given.toAbsolutePath();
    }
    String named = property != null ? property : environment.get(VARIABLE);
    if (named != null) {
      Path path = Paths.get(named);
      if (!Files.isRegularFile(path)) {
        throw new UserError("agent jar " + path + " (from " + (property != null ? "-D" + PROPERTY : VARIABLE)
            + "): no such file");
      }
      return path;
    }
    List<Path> candidates = candidates(codeSource);
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new UserError("no " + NAME + " found (looked at " + String.join(", ", candidates.stream()
        .map(Path::toString).toList()) + "); give its path with --agent-jar");
  }

  /**
   * Beside the command line's jar, then the checkout's agent module: {@code code} is {@code <root>/cli/target/
   * ipcscope.jar} (the launcher) or {@code <root>/cli/target/classes} (a build's class path).
   */
  public static List<Path> candidates(Path code) {
    List<Path> out = new ArrayList<>();
    if (code == null) {
      return out;
    }
    Path abs = code.toAbsolutePath().normalize();
    Path dir = Files.isDirectory(abs) ? abs : abs.getParent();
    if (dir == null) {
      return out;
    }
    out.add(dir.resolve(NAME));
    for (Path p = dir; p != null; p = p.getParent()) {
      if (p.getFileName() != null && p.getFileName().toString().equals("target") && p.getParent() != null
          && p.getParent().getParent() != null) {
        out.add(p.getParent().getParent().resolve("agent").resolve("target").resolve(NAME));
        break;
      }
    }
    return out;
  }

  /** The jar or class directory ipcscope runs from; null when the JVM does not say. */
  public static Path running() {
    CodeSource source = AgentJar.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      return Paths.get(source.getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }
}
