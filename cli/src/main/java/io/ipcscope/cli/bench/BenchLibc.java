package io.ipcscope.cli.bench;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;

/**
 * The libc calls of the ping-pong over Unix datagram sockets and over shared memory with POSIX semaphores (x86_64,
 * glibc 2.34+, where shm_open and the sem_* functions are in libc itself). Every call throws
 * {@link LastErrorException} (errno) on failure.
 */
final class BenchLibc {

  static final int AF_UNIX = 1;
  static final int SOCK_DGRAM = 2;
  static final int SOCK_CLOEXEC = 02000000;
  static final int MSG_DONTWAIT = 0x40;
  static final int O_RDWR = 2;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int MAP_SHARED = 1;
  static final int EAGAIN = 11;
  static final int ENOENT = 2;
  /** sizeof(sem_t) on x86_64. */
  static final int SEM_SIZE = 32;

  interface C extends Library {
    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

    long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen) throws LastErrorException;

    long recvfrom(int fd, byte[] buf, long len, int flags, Pointer addr, Pointer addrlen) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int shm_open(String name, int oflag, int mode) throws LastErrorException;

    int shm_unlink(String name) throws LastErrorException;

    int ftruncate(int fd, long length) throws LastErrorException;

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    int munmap(Pointer addr, long length) throws LastErrorException;

    int sem_init(Pointer sem, int pshared, int value) throws LastErrorException;

    int sem_destroy(Pointer sem) throws LastErrorException;

    int sem_post(Pointer sem) throws LastErrorException;

    int sem_wait(Pointer sem) throws LastErrorException;

    int sem_trywait(Pointer sem) throws LastErrorException;
  }

  static final C C = Native.load("c", C.class);

  private BenchLibc() {}

  /**
   * A struct sockaddr_un for the abstract name {@code name}: sun_family, then a NUL and the name, no terminator (an
   * abstract name is as long as the address length says, and leaves no file behind).
   */
  static byte[] abstractAddress(String name) {
    byte[] path = name.getBytes(StandardCharsets.US_ASCII);
    if (path.length > 107) {
      throw new IllegalArgumentException("abstract socket name longer than 107 bytes: " + name);
    }
    byte[] addr = new byte[2 + 1 + path.length];
    addr[0] = (byte) AF_UNIX; // little-endian sa_family_t
    System.arraycopy(path, 0, addr, 3, path.length);
    return addr;
  }

  /** An AF_UNIX datagram socket bound to the abstract name {@code name}. */
  static int boundDatagramSocket(String name) {
    int fd = C.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    try {
      byte[] addr = abstractAddress(name);
      C.bind(fd, addr, addr.length);
      return fd;
    } catch (LastErrorException e) {
      closeQuietly(fd);
      throw new IllegalStateException("binding a Unix datagram socket to @" + name + ": errno " + e.getErrorCode(), e);
    }
  }

  /** Closes {@code fd}, ignoring errors: for cleanup paths. */
  static void closeQuietly(int fd) {
    try {
      C.close(fd);
    } catch (LastErrorException ignored) {
      // already closed
    }
  }
}
