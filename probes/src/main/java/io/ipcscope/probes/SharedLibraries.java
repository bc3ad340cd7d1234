package io.ipcscope.probes;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the host's C libraries are, for uprobes. A uprobe is on a file (its inode), so it sees the processes that map
 * that very file: this process's libc covers the processes of its own root, but a collector in a container (the
 * DaemonSet's) has a libc of its own, and the host's processes another. So every distinct libc that a process maps
 * gets the uprobes, reached through that process's root ({@code /proc/PID/root}).
 */
final class SharedLibraries {

  /** At most this many distinct C libraries get uprobes: a host of many containers of many distributions. */
  static final int MAX_LIBCS = 16;
  private static final Path PROC = Path.of("/proc");

  private SharedLibraries() {}

  /**
   * This process's C library first (the JVM always maps it), then every other one a running process maps, each once
   * (the same file seen through two roots counts once). Processes started later from a C library no running process
   * had mapped are not covered.
   */
  static List<String> libcs() {
    List<String> found = new ArrayList<>();
    Set<Object> files = new HashSet<>();
    libcOf(PROC.resolve("self")).ifPresent(own -> add(own, found, files));
    // processes of one root (the host's, a container's) map one libc: a root's first process that maps one tells
    Set<Object> roots = new HashSet<>();
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
      for (Path pid : pids) {
        if (found.size() >= MAX_LIBCS) {
          break;
        }
        Object root = fileKey(pid.resolve("root"));
        if (root == null || roots.contains(root)) {
          continue;
        }
        Optional<String> libc = libcOf(pid);
        if (libc.isPresent()) {
          roots.add(root);
          add(pid.resolve("root") + libc.get(), found, files);
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc unreadable: this process's libc alone
    }
    return found;
  }

  private static void add(String path, List<String> found, Set<Object> files) {
    Object key = fileKey(Path.of(path));
    if (key != null && files.add(key)) {
      found.add(path);
    }
  }

  /** The file's device and inode; null when it is gone or we may not look. */
  private static Object fileKey(Path path) {
    try {
      return Files.readAttributes(path, "unix:dev,ino");
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The path of the C library {@code process} maps, as its own root names it. */
  private static Optional<String> libcOf(Path process) {
    try (BufferedReader maps = Files.newBufferedReader(process.resolve("maps"))) {
      for (String line; (line = maps.readLine()) != null; ) {
        int slash = line.indexOf('/');
        if (slash >= 0 && line.endsWith("/libc.so.6")) {
          return Optional.of(line.substring(slash));
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, a kernel thread, or not ours to read
    }
    return Optional.empty();
  }

  private static boolean isPid(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
