package io.ipcscope.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What message queues exist on the host, for tests that check a workload leaves none behind. */
final class MessageQueues {

  /** A line of /proc/sysvipc/msg (what {@code ipcs -q} shows). */
  record SysvEntry(int key, int id) {}

  private MessageQueues() {}

  static List<SysvEntry> sysv() throws IOException {
    return Files.readAllLines(Path.of("/proc/sysvipc/msg")).stream()
        .skip(1) // Header.
        .map(String::trim)
        .filter(l -> !l.isEmpty())
        .map(l -> l.split("\\s+"))
        .map(f -> new SysvEntry((int) Long.parseLong(f[0]), Integer.parseInt(f[1])))
        .toList();
  }

  static List<Integer> sysvKeys() throws IOException {
    return sysv().stream().map(SysvEntry::key).toList();
  }

  static List<Integer> sysvIds() throws IOException {
    return sysv().stream().map(SysvEntry::id).toList();
  }

  /**
   * Whether the POSIX queue {@code name} exists: mq_open without O_CREAT finds it or fails with
   * ENOENT. Where the mqueue fs is mounted, its file must agree.
   */
  static boolean posixExists(String name) throws IOException {
    boolean exists;
    try (PosixQueue queue = PosixQueue.open(name, Libc.O_RDONLY)) {
      exists = true;
    } catch (ErrnoException e) {
      if (e.errno() != Libc.ENOENT) {
        throw e;
      }
      exists = false;
    }
    Path dir = Path.of("/dev/mqueue");
    if (isMqueueMount(dir) && Files.exists(dir.resolve(name.substring(1))) != exists) {
      throw new IllegalStateException("mq_open and /dev/mqueue disagree on whether " + name + " exists");
    }
    return exists;
  }

  private static boolean isMqueueMount(Path dir) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
        .map(l -> l.split(" "))
        .anyMatch(f -> f.length > 2 && f[1].equals(dir.toString()) && f[2].equals("mqueue"));
  }
}
