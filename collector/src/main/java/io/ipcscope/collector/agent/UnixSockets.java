package io.ipcscope.collector.agent;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.ipcscope.probes.bpf.Errno;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The agent socket's libc calls, the one place JNA is used for it: Java's Unix-domain channels hide the descriptor,
 * and SO_PEERCRED (the pid of the process at the other end, as the kernel recorded it at connect) needs it. Every
 * descriptor is non-blocking and close-on-exec; a failed call becomes an {@link IOException} naming the call and the
 * errno ("bind /run/ipcscope/agent.sock: EADDRINUSE").
 *
 * <p>Not thread-safe: one instance per thread (it owns a scratch buffer and a poll array).
 */
final class UnixSockets implements AutoCloseable {

  /** The peer's credentials as the kernel keeps them for a connected Unix socket (struct ucred). */
  record Credentials(int pid, int uid, int gid) {}

  /** What poll(2) said about one descriptor. */
  static final int READABLE = 0x001;
  static final int HANGUP = 0x010 | 0x008 | 0x020; // POLLHUP | POLLERR | POLLNVAL

  private static final int AF_UNIX = 1;
  private static final int SOCK_STREAM = 1;
  private static final int SOCK_NONBLOCK = 0x800;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_PEERCRED = 17;
  private static final int EFD_NONBLOCK = 0x800;
  private static final int EFD_CLOEXEC = 0x80000;
  private static final int EAGAIN = 11;
  private static final int EINTR = 4;
  private static final int SUN_PATH = 108;
  private static final int POLLFD_SIZE = 8;

  private interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, Pointer address, int length) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int accept4(int fd, Pointer address, Pointer length, int flags) throws LastErrorException;

    int getsockopt(int fd, int level, int name, Pointer value, IntByReference length) throws LastErrorException;

    long read(int fd, Pointer buffer, long count) throws LastErrorException;

    long write(int fd, Pointer buffer, long count) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int poll(Pointer fds, long count, int timeoutMillis) throws LastErrorException;

    int eventfd(int initial, int flags) throws LastErrorException;
  }

  private final Memory scratch;
  private Memory pollFds = new Memory(64L * POLLFD_SIZE);

  /** {@code bufferBytes}: the most one {@link #read} call takes. */
  UnixSockets(int bufferBytes) {
    this.scratch = new Memory(Math.max(bufferBytes, 16));
  }

  /** A listening stream socket bound to {@code path} (which must not exist). */
  int listen(Path path, int backlog) throws IOException {
    byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
    if (name.length >= SUN_PATH) {
      throw new IOException("socket path " + path + " is longer than " + (SUN_PATH - 1) + " bytes");
    }
    int fd = call("socket", () -> Libc.INSTANCE.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    try {
      Memory address = new Memory(2 + SUN_PATH);
      address.clear();
      address.setShort(0, (short) AF_UNIX);
      address.write(2, name, 0, name.length);
      call("bind " + path, () -> Libc.INSTANCE.bind(fd, address, 2 + name.length + 1));
      call("listen " + path, () -> Libc.INSTANCE.listen(fd, backlog));
      return fd;
    } catch (IOException e) {
      closeQuietly(fd);
      throw e;
    }
  }

  /** A connection waiting on {@code listenFd}, or -1 when none is. */
  int accept(int listenFd) throws IOException {
    try {
      return Libc.INSTANCE.accept4(listenFd, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
        return -1;
      }
      throw failure("accept", e);
    }
  }

  /** SO_PEERCRED: who connected, as the kernel recorded it when they did (a pid in our pid namespace). */
  Credentials peer(int fd) throws IOException {
    Memory ucred = new Memory(12);
    IntByReference length = new IntByReference(12);
    call("getsockopt SO_PEERCRED", () -> Libc.INSTANCE.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, length));
    return new Credentials(ucred.getInt(0), ucred.getInt(4), ucred.getInt(8));
  }

  /** Reads at most {@code length} bytes into {@code into}: the count, 0 at end of stream, -1 when none wait. */
  int read(int fd, byte[] into, int offset, int length) throws IOException {
    int n = (int) Math.min(length, scratch.size());
    long got;
    try {
      got = Libc.INSTANCE.read(fd, scratch, n);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
        return -1;
      }
      throw failure("read", e);
    }
    if (got > 0) {
      scratch.read(0, into, offset, (int) got);
    }
    return (int) got;
  }

  /** Writes what the socket takes now of {@code bytes}; returns how many it took (never blocks). */
  int write(int fd, byte[] bytes) throws IOException {
    Memory out = new Memory(Math.max(bytes.length, 1));
    out.write(0, bytes, 0, bytes.length);
    try {
      return (int) Libc.INSTANCE.write(fd, out, bytes.length);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EAGAIN || e.getErrorCode() == EINTR) {
        return 0;
      }
      throw failure("write", e);
    }
  }

  /** An eventfd another thread can {@link #wake} this one's {@link #poll} with. */
  int wakeup() throws IOException {
    return call("eventfd", () -> Libc.INSTANCE.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  }

  /** Makes the eventfd readable; safe from any thread (a write of 8 bytes, no scratch buffer). */
  static void wake(int eventFd) {
    Memory one = new Memory(8);
    one.setLong(0, 1);
    try {
      Libc.INSTANCE.write(eventFd, one, 8);
    } catch (LastErrorException e) {
      // already readable (the counter saturated) or closed: the poller wakes or is gone either way
    }
  }

  /** Reads the eventfd's count back to zero. */
  void clearWakeup(int eventFd) {
    try {
      Libc.INSTANCE.read(eventFd, scratch, 8);
    } catch (LastErrorException e) {
      // nothing was pending
    }
  }

  /**
   * Waits up to {@code timeoutMillis} until one of {@code fds} is readable or hung up; fills {@code ready} with
   * {@link #READABLE} and {@link #HANGUP} bits per descriptor. Returns how many have something.
   */
  int poll(int[] fds, int count, int[] ready, int timeoutMillis) throws IOException {
    long bytes = (long) count * POLLFD_SIZE;
    if (pollFds.size() < bytes) {
      pollFds = new Memory(Math.max(bytes, pollFds.size() * 2));
    }
    for (int i = 0; i < count; i++) {
      pollFds.setInt((long) i * POLLFD_SIZE, fds[i]);
      pollFds.setShort((long) i * POLLFD_SIZE + 4, (short) READABLE);
      pollFds.setShort((long) i * POLLFD_SIZE + 6, (short) 0);
    }
    int n;
    try {
      n = Libc.INSTANCE.poll(pollFds, count, timeoutMillis);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EINTR) {
        n = 0;
      } else {
        throw failure("poll", e);
      }
    }
    for (int i = 0; i < count; i++) {
      ready[i] = n == 0 ? 0 : pollFds.getShort((long) i * POLLFD_SIZE + 6) & 0xffff;
    }
    return n;
  }

  static void closeQuietly(int fd) {
    if (fd < 0) {
      return;
    }
    try {
      Libc.INSTANCE.close(fd);
    } catch (LastErrorException e) {
      // closed already: nothing left to release
    }
  }

  @Override
  public void close() {
    scratch.close();
    pollFds.close();
  }

  private interface Call {
    int run() throws LastErrorException;
  }

  private static int call(String what, Call call) throws IOException {
    try {
      return call.run();
    } catch (LastErrorException e) {
      throw failure(what, e);
    }
  }

  private static IOException failure(String what, LastErrorException e) {
    return new IOException(what + ": " + Errno.name(e.getErrorCode()));
  }
}
