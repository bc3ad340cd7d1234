package io.ipcscope.demo;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.function.Supplier;

/**
 * The libc calls of the Unix socket and fd-passing workloads: sockets, SCM_RIGHTS, memfd, mmap and
 * pidfd. Kept apart from {@link Libc} (which other workloads extend) but built the same way: JNA
 * stays inside, a failing call throws {@link ErrnoException} naming the call and its object, and
 * blocking calls are retried on EINTR, so a caller counts only calls that moved data. LP64 Linux
 * only (x86-64, arm64: the constants and struct layouts below are the same on both).
 *
 * <p>Data goes through {@link Buffer}s (native memory), not Java arrays, so a record received in
 * many chunks is not copied whole for every chunk.
 */
final class SocketLibc {

  static final int AF_UNIX = 1;
  static final int SOCK_STREAM = 1;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_CLOEXEC = 02000000;
  static final int SOL_SOCKET = 1;
  static final int SO_SNDBUF = 7;
  static final int SCM_RIGHTS = 1;
  static final int SHUT_WR = 1;
  /** Sends on a stream whose peer is gone fail with EPIPE instead of raising SIGPIPE. */
  static final int MSG_NOSIGNAL = 0x4000;
  static final int MSG_CTRUNC = 0x8;
  static final int MSG_CMSG_CLOEXEC = 0x40000000;
  static final int MFD_CLOEXEC = 1;
  private static final int PROT_READ = 1;
  private static final int PROT_WRITE = 2;
  private static final int MAP_SHARED = 1;

  static final int ENOENT = 2;
  static final int EINTR = 4;
  static final int ECONNREFUSED = 111;

  /** {@code struct sockaddr_un}: sa_family_t sun_family, char sun_path[108]. */
  static final int SOCKADDR_UN_SIZE = 110;
  static final int SUN_PATH_MAX = 108;

  /** {@code struct msghdr} (56 bytes), {@code struct iovec} (16) and one {@code int} in a cmsg. */
  private static final int MSGHDR_SIZE = 56;
  private static final int IOVEC_SIZE = 16;
  private static final int CMSG_HEADER = 16; // size_t cmsg_len, int cmsg_level, int cmsg_type
  private static final int CMSG_LEN_ONE_FD = CMSG_HEADER + Integer.BYTES; // CMSG_LEN(sizeof(int)) = 20
  private static final int CMSG_SPACE_ONE_FD = 24; // CMSG_SPACE(sizeof(int)): aligned to 8

  private interface C extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int accept4(int fd, Pointer addr, Pointer addrlen, int flags) throws LastErrorException;

    int connect(int fd, byte[] addr, int addrlen) throws LastErrorException;

    int setsockopt(int fd, int level, int name, int[] value, int length) throws LastErrorException;

    long send(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    long recv(int fd, Pointer buf, long len, int flags) throws LastErrorException;

    long sendto(int fd, Pointer buf, long len, int flags, byte[] addr, int addrlen) throws LastErrorException;

    long recvfrom(int fd, Pointer buf, long len, int flags, byte[] addr, int[] addrlen) throws LastErrorException;

    long sendmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    long recvmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int memfd_create(String name, int flags) throws LastErrorException;

    int ftruncate(int fd, long length) throws LastErrorException;

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    int munmap(Pointer addr, long length) throws LastErrorException;

    /** glibc 2.36+. */
    int pidfd_open(int pid, int flags) throws LastErrorException;

    /** glibc 2.36+; the kernel since 5.6. */
    int pidfd_getfd(int pidfd, int targetfd, int flags) throws LastErrorException;
  }

  private static final C C;

  static {
    Libc.load(); // Its class initialisation keeps JNA from running ldconfig: it must come first.
    C = Native.load("c", C.class);
  }

  private SocketLibc() {}

  /** Native memory for data: what send() takes from and recv() fills. */
  static final class Buffer {
    private final Memory memory;

    Buffer(long size) {
      memory = new Memory(Math.max(1, size));
    }

    long size() {
      return memory.size();
    }

    void put(long offset, byte[] data, int from, int length) {
      memory.write(offset, data, from, length);
    }

    void get(long offset, byte[] into, int from, int length) {
      memory.read(offset, into, from, length);
    }
  }

  /** A MAP_SHARED mapping of a whole descriptor, unmapped on close. */
  static final class Mapping implements AutoCloseable {
    private final Pointer address;
    private final long length;
    private final String label;
    private boolean closed;

    private Mapping(Pointer address, long length, String label) {
      this.address = address;
      this.length = length;
      this.label = label;
    }

    void write(long offset, byte[] data) {
      check(offset, data.length);
      address.write(offset, data, 0, data.length);
    }

    void read(long offset, byte[] into) {
      check(offset, into.length);
      address.read(offset, into, 0, into.length);
    }

    private void check(long offset, int n) {
      if (closed || offset < 0 || offset + n > length) {
        throw new IndexOutOfBoundsException(label + ": " + n + " bytes at " + offset + " of " + length
            + (closed ? " (unmapped)" : ""));
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        NativeCall.once(() -> C.munmap(address, length), () -> "munmap " + label);
      }
    }
  }

  static int socket(int type, String label) {
    return (int) NativeCall.once(() -> C.socket(AF_UNIX, type | SOCK_CLOEXEC, 0), () -> "socket " + label);
  }

  /** Two connected stream sockets, both close-on-exec. */
  static int[] socketpair(String label) {
    int[] sv = new int[2];
    NativeCall.once(() -> C.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), () -> "socketpair " + label);
    return sv;
  }

  static void bind(int fd, byte[] addr, int addrlen, String label) {
    NativeCall.once(() -> C.bind(fd, addr, addrlen), () -> "bind " + label);
  }

  static void listen(int fd, int backlog, String label) {
    NativeCall.once(() -> C.listen(fd, backlog), () -> "listen " + label);
  }

  static int accept(int fd, String label) {
    return (int) NativeCall.restarting(() -> C.accept4(fd, Pointer.NULL, Pointer.NULL, SOCK_CLOEXEC), () -> "accept " + label);
  }

  /** One connect(); the caller decides which errors mean "not there yet" (ErrnoException.errno()). */
  static void connect(int fd, byte[] addr, int addrlen, String label) {
    NativeCall.restarting(() -> C.connect(fd, addr, addrlen), () -> "connect " + label);
  }

  static void setIntOption(int fd, int level, int name, int value, String label) {
    NativeCall.once(() -> C.setsockopt(fd, level, name, new int[] {value}, Integer.BYTES),
        () -> "setsockopt " + label + " option " + name + " = " + value);
  }

  /** One send() of {@code length} bytes at {@code offset} of {@code buffer}; returns how many it took. */
  static long send(int fd, Buffer buffer, long offset, long length, String label) {
    return NativeCall.restarting(() -> C.send(fd, buffer.memory.share(offset), length, MSG_NOSIGNAL),
        () -> "send " + label + " (" + length + " bytes)");
  }

  /** One recv() into {@code buffer} at {@code offset}; returns the bytes read, 0 at EOF. */
  static long recv(int fd, Buffer buffer, long offset, long length, String label) {
    return NativeCall.restarting(() -> C.recv(fd, buffer.memory.share(offset), length, 0), () -> "recv " + label);
  }

  static long sendto(int fd, Buffer buffer, long length, byte[] addr, int addrlen, String label) {
    return NativeCall.restarting(() -> C.sendto(fd, buffer.memory, length, MSG_NOSIGNAL, addr, addrlen),
        () -> "sendto " + label + " (" + length + " bytes)");
  }

  /**
   * One recvfrom() of a datagram of up to {@code length} bytes (a longer one is cut); the sender's
   * address goes to {@code addr}, its length to {@code addrlen[0]}.
   */
  static long recvfrom(int fd, Buffer buffer, long length, byte[] addr, int[] addrlen, String label) {
    return NativeCall.restarting(() -> {
      addrlen[0] = addr.length;
      return C.recvfrom(fd, buffer.memory, length, 0, addr, addrlen);
    }, () -> "recvfrom " + label);
  }

  /** One sendmsg() of {@code payload} with {@code passFd} in an SCM_RIGHTS message; returns the bytes sent. */
  static long sendWithFd(int fd, byte[] payload, int passFd, String label) {
    Memory data = new Memory(Math.max(1, payload.length));
    data.write(0, payload, 0, payload.length);
    Memory iov = new Memory(IOVEC_SIZE);
    iov.setPointer(0, data);
    iov.setLong(8, payload.length);
    Memory control = new Memory(CMSG_SPACE_ONE_FD);
    control.clear();
    control.setLong(0, CMSG_LEN_ONE_FD);
    control.setInt(8, SOL_SOCKET);
    control.setInt(12, SCM_RIGHTS);
    control.setInt(CMSG_HEADER, passFd);
    Memory msg = new Memory(MSGHDR_SIZE);
    msg.clear();
    msg.setPointer(16, iov); // msg_iov (after msg_name, msg_namelen + padding)
    msg.setLong(24, 1); // msg_iovlen
    msg.setPointer(32, control); // msg_control
    msg.setLong(40, CMSG_SPACE_ONE_FD); // msg_controllen
    return NativeCall.restarting(() -> C.sendmsg(fd, msg, MSG_NOSIGNAL),
        () -> "sendmsg " + label + " (" + payload.length + " bytes, SCM_RIGHTS fd " + passFd + ")");
  }

  /** What {@link #recvWithFd} got: the payload's length and the descriptor, -1 if none came. */
  record Received(long bytes, int fd) {}

  /**
   * One recvmsg() of up to {@code payload.length} bytes and at most one descriptor (installed
   * close-on-exec); fails if the kernel had to cut the control data (MSG_CTRUNC: more descriptors
   * were sent, and closed by the kernel).
   */
  static Received recvWithFd(int fd, byte[] payload, String label) {
    Memory data = new Memory(Math.max(1, payload.length));
    Memory iov = new Memory(IOVEC_SIZE);
    iov.setPointer(0, data);
    iov.setLong(8, payload.length);
    Memory control = new Memory(CMSG_SPACE_ONE_FD);
    control.clear();
    Memory msg = new Memory(MSGHDR_SIZE);
    long got = NativeCall.restarting(() -> {
      msg.clear();
      msg.setPointer(16, iov);
      msg.setLong(24, 1);
      msg.setPointer(32, control);
      msg.setLong(40, CMSG_SPACE_ONE_FD);
      return C.recvmsg(fd, msg, MSG_CMSG_CLOEXEC);
    }, () -> "recvmsg " + label);
    data.read(0, payload, 0, (int) got);
    if ((msg.getInt(48) & MSG_CTRUNC) != 0) {
      throw new IllegalStateException("recvmsg " + label + ": control data cut (MSG_CTRUNC): more than one descriptor");
    }
    long controllen = msg.getLong(40);
    if (controllen >= CMSG_LEN_ONE_FD && control.getLong(0) == CMSG_LEN_ONE_FD
        && control.getInt(8) == SOL_SOCKET && control.getInt(12) == SCM_RIGHTS) {
      return new Received(got, control.getInt(CMSG_HEADER));
    }
    return new Received(got, -1);
  }

  static void shutdown(int fd, int how, String label) {
    NativeCall.once(() -> C.shutdown(fd, how), () -> "shutdown " + label);
  }

  static void close(int fd, String label) {
    NativeCall.once(() -> C.close(fd), () -> "close " + label + " (fd " + fd + ")");
  }

  /** A memfd of {@code size} bytes (zeros), close-on-exec. */
  static int memfdCreate(String name, long size) {
    int fd = (int) NativeCall.once(() -> C.memfd_create(name, MFD_CLOEXEC), () -> "memfd_create " + name);
    try {
      NativeCall.once(() -> C.ftruncate(fd, size), () -> "ftruncate memfd:" + name + " to " + size + " bytes");
    } catch (RuntimeException e) {
      C.close(fd);
      throw e;
    }
    return fd;
  }

  /** mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, 0). */
  static Mapping mapShared(int fd, long length, String label) {
    Pointer address = callPointer(() -> C.mmap(Pointer.NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
        () -> "mmap " + label + " (" + length + " bytes, MAP_SHARED)");
    return new Mapping(address, length, label);
  }

  /**
   * A copy of descriptor {@code targetFd} of process {@code pid} in this process (pidfd_open +
   * pidfd_getfd, close-on-exec). Needs ptrace access to {@code pid}: same user and, under Yama,
   * {@code pid} a descendant of this process (kernel.yama.ptrace_scope 1) or CAP_SYS_PTRACE (2).
   */
  static int takeFd(long pid, int targetFd, String label) {
    int pidfd = (int) NativeCall.once(() -> C.pidfd_open(Math.toIntExact(pid), 0), () -> "pidfd_open " + pid);
    try {
      return (int) NativeCall.once(() -> C.pidfd_getfd(pidfd, targetFd, 0),
          () -> "pidfd_getfd fd " + targetFd + " of pid " + pid + " (" + label + ")");
    } finally {
      C.close(pidfd);
    }
  }

  private static Pointer callPointer(PointerCall call, Supplier<String> what) {
    try {
      Pointer p = call.invoke();
      if (p == null || Pointer.nativeValue(p) == -1L) {
        throw new IllegalStateException(what.get() + ": failed without errno");
      }
      return p;
    } catch (LastErrorException e) {
      throw new ErrnoException(what.get(), e.getErrorCode());
    }
  }

  @FunctionalInterface
  private interface PointerCall {
    Pointer invoke() throws LastErrorException;
  }

}
