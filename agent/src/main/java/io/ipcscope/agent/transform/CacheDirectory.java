package io.ipcscope.agent.transform;

import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.Feature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Where the {@link TransformCache} lives: {@code cache=DIR}, or with {@code cache=auto} the user's cache directory
 * ({@code $XDG_CACHE_HOME/ipcscope/agent}, else {@code ~/.cache/ipcscope/agent}); in it, one subdirectory per agent
 * build, set of instrumentations and JDK.
 *
 * <p>What is read from there is put into JDK classes, so the directory must be the user's alone: owned by the
 * process's user, writable by nobody else, and not a symbolic link; otherwise the cache is not used. Subdirectories of
 * other agent builds unused for {@value #PRUNE_AFTER_DAYS} days are removed.
 */
public final class CacheDirectory {

  static final int PRUNE_AFTER_DAYS = 30;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

  /** The cache, or the reason there is none (always a reason when {@code cache} is null). */
  public static final class Opened {
    final TransformCache cache;
    final String reason;

    Opened(TransformCache cache, String reason) {
      this.cache = cache;
      this.reason = reason;
    }

    /** The agent build's directory, or null when there is no cache. */
    public Path directory() {
      return cache == null ? null : cache.directory();
    }

    /** For the debug line: where the cache is, or why there is none. */
    public String describe() {
      return cache != null ? "cache " + cache.directory() : "no cache: " + reason;
    }
  }

  private CacheDirectory() {}

  /** @param agentJar null when the agent does not run from a jar (then there is no cache) */
  public static Opened open(AgentConfig config, Map<String, String> environment, Path agentJar) {
    if (config.cache().equals(AgentConfig.CACHE_OFF)) {
      return new Opened(null, "cache=off");
    }
    Path root = config.cache().equals(AgentConfig.CACHE_AUTO) ? userCache(environment) : Paths.get(config.cache());
    if (root == null) {
      return new Opened(null, "no cache directory: neither XDG_CACHE_HOME nor HOME is set (set cache=DIR)");
    }
    if (agentJar == null) {
      return new Opened(null, "the agent is not running from its jar");
    }
    try {
      Files.createDirectories(root, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      String unsafe = unsafe(root);
      if (unsafe != null) {
        return new Opened(null, root + " " + unsafe + "; not used");
      }
      Path build = root.resolve(identity(agentJar, config));
      if (!Files.isDirectory(build, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(build, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        pruneOthers(root, build);
      }
      unsafe = unsafe(build);
      if (unsafe != null) {
        return new Opened(null, build + " " + unsafe + "; not used");
      }
      return new Opened(new TransformCache(build), null);
    } catch (IOException | RuntimeException e) {
      return new Opened(null, root + " cannot be used: " + e);
    }
  }

  private static Path userCache(Map<String, String> environment) {
    String xdg = environment.get("XDG_CACHE_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      return Paths.get(xdg, "ipcscope", "agent");
    }
    String home = environment.get("HOME");
    if (home != null && home.startsWith("/")) {
      return Paths.get(home, ".cache", "ipcscope", "agent");
    }
    return null;
  }

  /** Why this directory is not the user's alone, or null when it is. */
  static String unsafe(Path directory) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return "is not a directory (or is a symbolic link)";
    }
    Object owner = Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    // /proc/self belongs to the process's effective user
    Object self = Files.getAttribute(Paths.get("/proc/self"), "unix:uid");
    if (!owner.equals(self)) {
      return "belongs to uid " + owner + ", not to this process's uid " + self;
    }
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory, LinkOption.NOFOLLOW_LINKS);
    if (permissions.contains(PosixFilePermission.GROUP_WRITE)
        || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      return "is writable by others than its owner";
    }
    return null;
  }

  /**
   * The agent build (its jar's path, size and time), its mechanisms, and the JDK (its home, version, and the size and
   * time of its class image, which an update in place rewrites): a rebuilt agent or another set of instrumentations
   * weaves otherwise, another JDK has other classes, so each gets a directory of its own.
   */
  static String identity(Path agentJar, AgentConfig config) throws IOException {
    StringBuilder key = new StringBuilder();
    stamp(key, agentJar);
    Path javaHome = Paths.get(System.getProperty("java.home"));
    key.append(javaHome).append('\n').append(System.getProperty("java.runtime.version")).append('\n');
    Path modules = javaHome.resolve("lib").resolve("modules");
    if (Files.isRegularFile(modules)) {
      stamp(key, modules);
    }
    for (Feature feature : config.features()) {
      key.append('\n').append(feature.optionName());
    }
    byte[] bytes = key.toString().getBytes(StandardCharsets.UTF_8);
    CRC32 crc32 = new CRC32();
    crc32.update(bytes);
    CRC32C crc32c = new CRC32C();
    crc32c.update(bytes);
    return "build-" + Long.toHexString(crc32.getValue() << 32 | crc32c.getValue());
  }

  private static void stamp(StringBuilder key, Path file) throws IOException {
    key.append(file.toAbsolutePath()).append('\n').append(Files.size(file)).append('\n')
        .append(Files.getLastModifiedTime(file).toMillis()).append('\n');
  }

  private static void pruneOthers(Path root, Path current) {
    Instant old = Instant.now().minus(Duration.ofDays(PRUNE_AFTER_DAYS));
    try (DirectoryStream<Path> builds = Files.newDirectoryStream(root, "build-*")) {
      for (Path build : builds) {
        FileTime modified = Files.getLastModifiedTime(build, LinkOption.NOFOLLOW_LINKS);
        if (!build.equals(current) && modified.toInstant().isBefore(old)) {
          removeTree(build);
        }
      }
    } catch (IOException | RuntimeException e) {
      // pruning is housekeeping: never a reason not to start
    }
  }

  private static void removeTree(Path build) throws IOException {
    try (var files = Files.walk(build)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(file);
      }
    }
  }
}
