package io.ipcscope.demo;

/**
 * An anonymous shared-memory file (memfd_create, close-on-exec) of a fixed size, closed on {@link
 * #close}. Its name shows in /proc/PID/maps and /proc/PID/fd as {@code /memfd:NAME (deleted)} in
 * every process that maps or holds it, also one that received it over a socket.
 */
final class Memfd implements AutoCloseable {

  private final int fd;
  private final String name;
  private final long size;
  private boolean closed;

  private Memfd(int fd, String name, long size) {
    this.fd = fd;
    this.name = name;
    this.size = size;
  }

  /** A new memfd of {@code size} zero bytes (ftruncate). */
  static Memfd create(String name, long size) {
    return new Memfd(SocketLibc.memfdCreate(name, size), name, size);
  }

  /** A memfd descriptor this process received; {@code name} and {@code size} as the sender said. */
  static Memfd adopt(int fd, String name, long size) {
    return new Memfd(fd, name, size);
  }

  int fd() {
    return fd;
  }

  String name() {
    return name;
  }

  long size() {
    return size;
  }

  /** "memfd:NAME": how the ground truth names it (/proc/PID/maps without the '/' and " (deleted)"). */
  String path() {
    return path(name);
  }

  static String path(String name) {
    return "memfd:" + name;
  }

  /** One mmap of the whole file, MAP_SHARED, read-write. */
  SocketLibc.Mapping map() {
    return SocketLibc.mapShared(fd, size, path());
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      SocketLibc.close(fd, path());
    }
  }
}
