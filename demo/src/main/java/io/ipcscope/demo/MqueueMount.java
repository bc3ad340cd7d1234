package io.ipcscope.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A directory where the mqueue fs lists this IPC namespace's POSIX message queues (file "x" is
 * queue "/x"): an existing mount (/dev/mqueue, any mqueue line of /proc/self/mounts), or else one
 * this process makes on a private temp dir and undoes on {@link #close} (also on SIGTERM/SIGINT).
 * Mounting needs CAP_SYS_ADMIN.
 */
final class MqueueMount implements AutoCloseable {

  private final Path dir;
  private final boolean ours;
  private final /* @Nullable */ Thread hook;
  private boolean closed;

  private MqueueMount(Path dir, boolean ours) {
    this.dir = dir;
    this.ours = ours;
    this.hook = ours ? new Thread(this::unmount, "ipcscope-mqueue-unmount") : null;
    if (hook != null) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
  }

  /** An existing mqueue mount, or a private one in {@code tmpDir}. */
  static MqueueMount open(Path tmpDir) throws IOException {
    Optional<Path> existing = existing();
    return existing.isPresent() ? new MqueueMount(existing.get(), false) : openPrivate(tmpDir);
  }

  /** Mounts the mqueue fs on a new directory in {@code tmpDir}, nosuid, nodev, noexec. */
  static MqueueMount openPrivate(Path tmpDir) throws IOException {
    Path dir = Files.createTempDirectory(tmpDir, "ipcscope-mqueue-");
    try {
      Libc.mount("mqueue", dir, "mqueue", Libc.MS_NOSUID | Libc.MS_NODEV | Libc.MS_NOEXEC);
    } catch (ErrnoException e) {
      Files.deleteIfExists(dir);
      throw e.errno() != Libc.EPERM ? e : new ErrnoException("mount mqueue on " + dir, e.errno(),
          "listing POSIX message queues needs CAP_SYS_ADMIN, or the mqueue fs mounted: mount -t mqueue none /dev/mqueue");
    }
    return new MqueueMount(dir, true);
  }

  /** The mount point of the first mqueue fs in /proc/self/mounts. */
  static Optional<Path> existing() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      String[] f = line.split(" ");
      if (f.length > 2 && f[2].equals("mqueue")) {
        return Optional.of(Path.of(unescape(f[1])));
      }
    }
    return Optional.empty();
  }

  /** /proc/self/mounts writes space, tab, newline and backslash in paths as \040, \011, \012, \134. */
  private static String unescape(String path) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\' && i + 3 < path.length() && path.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        b.append((char) Integer.parseInt(path.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  Path dir() {
    return dir;
  }

  /** Whether this process mounted it (and {@link #close} unmounts it). */
  boolean ours() {
    return ours;
  }

  @Override
  public void close() {
    unmount();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or ran.
      }
    }
  }

  /** Unmounts (lazily if something still uses it) and deletes the directory; once. */
  private synchronized void unmount() {
    if (!ours || closed) {
      return;
    }
    closed = true;
    try {
      Libc.umount2(dir, 0);
    } catch (ErrnoException e) {
      if (e.errno() != Libc.EBUSY) {
        throw e;
      }
      Libc.umount2(dir, Libc.MNT_DETACH);
    }
    try {
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new IllegalStateException("deleting " + dir + ": " + e.getMessage(), e);
    }
  }
}
