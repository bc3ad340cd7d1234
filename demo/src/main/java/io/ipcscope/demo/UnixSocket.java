package io.ipcscope.demo;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * One Unix socket descriptor (AF_UNIX, close-on-exec), closed on {@link #close}. Every method that
 * moves data makes exactly the send-type calls it says and returns or counts them, so a workload
 * can declare its calls exactly: {@link #sendRecord} one send() per record unless a signal cut it
 * short, {@link #sendTo} one sendto(), {@link #sendWithFd} one sendmsg().
 */
final class UnixSocket implements AutoCloseable {

  /**
   * A socket's name: a filesystem path, or an abstract name (the kernel's sun_path starts with a
   * NUL byte; no file, gone with the last socket bound to it), shown with a leading '@' as ss(8)
   * and /proc/net/unix do.
   */
  record Address(String name, boolean isAbstract) {

    Address {
      requireNonNull(name, "name");
      int max = SocketLibc.SUN_PATH_MAX - 1; // A path keeps its NUL, an abstract name its leading NUL.
      if (name.isEmpty() || name.getBytes(UTF_8).length > max) {
        throw new IllegalArgumentException("a Unix socket name has 1 to " + max + " bytes: "
            + (isAbstract ? "@" : "") + name + " has " + name.getBytes(UTF_8).length);
      }
    }

    static Address path(Path path) {
      return new Address(path.toString(), false);
    }

    static Address abstractName(String name) {
      return new Address(name, true);
    }

    /** {@link #display} backwards: "@name" is abstract, anything else a path. */
    static Address parse(String shown) {
      return shown.startsWith("@") ? abstractName(shown.substring(1)) : new Address(shown, false);
    }

    /** The name users see: the path, or "@name" for an abstract one. */
    String display() {
      return isAbstract ? "@" + name : name;
    }

    /** {@code struct sockaddr_un}, sized exactly: a path with its NUL, an abstract name without one. */
    byte[] sockaddr() {
      byte[] bytes = name.getBytes(UTF_8);
      ByteBuffer b = ByteBuffer.allocate(2 + 1 + bytes.length).order(ByteOrder.nativeOrder());
      b.putShort((short) SocketLibc.AF_UNIX);
      if (isAbstract) {
        b.put((byte) 0).put(bytes);
      } else {
        b.put(bytes).put((byte) 0);
      }
      return b.array();
    }

    /** The address recvfrom() reported, {@code length} bytes of {@code sockaddr}; null if unnamed. */
    static /* @Nullable */ Address of(byte[] sockaddr, int length) {
      if (length <= 2) {
        return null;
      }
      if (sockaddr[2] == 0) {
        return abstractName(new String(sockaddr, 3, length - 3, UTF_8));
      }
      int end = 2;
      while (end < length && sockaddr[end] != 0) {
        end++;
      }
      return new Address(new String(sockaddr, 2, end - 2, UTF_8), false);
    }

    @Override
    public String toString() {
      return display();
    }
  }

  /** What a Unix datagram needs of sk_sndbuf beyond its data. */
  private static final int DATAGRAM_OVERHEAD = 32;

  /** SO_SNDBUF asked for at least: what small datagrams need whatever net.core.wmem_default is. */
  private static final int MIN_SNDBUF = 64 * 1024;

  /** What a Unix datagram may carry whatever the sysctls say: see {@link #maxDatagram}. */
  static final long MAX_DATAGRAM_ALLOCATION = 4 << 20;

  private final int fd;
  private final String label;
  private /* @Nullable */ SocketLibc.Buffer buffer;
  private boolean closed;

  private UnixSocket(int fd, String label) {
    this.fd = fd;
    this.label = label;
  }

  /** A stream socket bound to {@code address} and listening. */
  static UnixSocket listen(Address address) {
    UnixSocket s = open(SocketLibc.SOCK_STREAM, "stream " + address);
    try {
      byte[] sa = address.sockaddr();
      SocketLibc.bind(s.fd, sa, sa.length, s.label);
      SocketLibc.listen(s.fd, 8, s.label);
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * A stream socket connected to {@code address}, retrying every millisecond while nobody listens
   * there yet (ENOENT: no socket file; ECONNREFUSED: bound, not listening, or no such abstract
   * name) until {@code timeoutMillis} passed. A failed connect() moves no data.
   */
  static UnixSocket connect(Address address, long timeoutMillis) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    byte[] sa = address.sockaddr();
    while (true) {
      UnixSocket s = open(SocketLibc.SOCK_STREAM, "stream to " + address);
      try {
        SocketLibc.connect(s.fd, sa, sa.length, s.label);
        return s;
      } catch (ErrnoException e) {
        s.close();
        boolean notYet = e.errno() == SocketLibc.ENOENT || e.errno() == SocketLibc.ECONNREFUSED;
        if (!notYet) {
          throw e;
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("nobody listened on " + address + " within " + timeoutMillis + " ms: " + e.getMessage());
        }
        Thread.sleep(1);
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
    }
  }

  /**
   * A datagram socket bound to {@code address}, with a send buffer that takes a datagram of {@code
   * size} bytes (a Unix datagram must fit in sk_sndbuf - 32; see {@link #maxDatagram}).
   */
  static UnixSocket datagram(Address address, int size) {
    UnixSocket s = open(SocketLibc.SOCK_DGRAM, "datagram " + address);
    try {
      SocketLibc.setIntOption(s.fd, SocketLibc.SOL_SOCKET, SocketLibc.SO_SNDBUF,
          Math.max(MIN_SNDBUF, size + DATAGRAM_OVERHEAD), s.label);
      byte[] sa = address.sockaddr();
      SocketLibc.bind(s.fd, sa, sa.length, s.label);
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /**
   * The largest datagram {@link #datagram} sockets can send here: SO_SNDBUF is capped at
   * net.core.wmem_max and doubled by the kernel, which refuses (EMSGSIZE) a datagram above
   * sk_sndbuf - 32; and the kernel allocates all but ~64 KiB of a datagram in one piece, which
   * fails (ENOBUFS) above 4 MiB (the largest kmalloc, order-10 pages).
   */
  static long maxDatagram() throws IOException {
    return Math.min(MAX_DATAGRAM_ALLOCATION, 2 * Sysctl.read("net/core/wmem_max") - DATAGRAM_OVERHEAD);
  }

  /** A connected pair of stream sockets in this process (socketpair). */
  static UnixSocket[] pair(String label) {
    int[] sv = SocketLibc.socketpair(label);
    return new UnixSocket[] {new UnixSocket(sv[0], label + " [0]"), new UnixSocket(sv[1], label + " [1]")};
  }

  /** A copy in this process of socket descriptor {@code fd} of process {@code pid} (pidfd_getfd). */
  static UnixSocket takeFrom(long pid, int fd, String label) {
    return new UnixSocket(SocketLibc.takeFd(pid, fd, label), label);
  }

  private static UnixSocket open(int type, String label) {
    return new UnixSocket(SocketLibc.socket(type, label), label);
  }

  int fd() {
    return fd;
  }

  /** The next connection of a listening socket. */
  UnixSocket accept() {
    return new UnixSocket(SocketLibc.accept(fd, label), "connection on " + label);
  }

  private SocketLibc.Buffer buffer(long size) {
    if (buffer == null || buffer.size() < size) {
      buffer = new SocketLibc.Buffer(size);
    }
    return buffer;
  }

  /**
   * Sends the whole record on a stream socket; returns the send() calls it took: 1 (a blocking
   * Unix stream send waits until the kernel took everything) unless a signal cut a call short.
   */
  int sendRecord(byte[] record) {
    SocketLibc.Buffer b = buffer(record.length + 1L);
    b.put(0, record, 0, record.length);
    long sent = 0;
    int calls = 0;
    do {
      sent += SocketLibc.send(fd, b, sent, record.length - sent, label);
      calls++;
    } while (sent < record.length);
    return calls;
  }

  /** Reads exactly {@code into.length} bytes from a stream, in as many recv() calls as it takes; false at a clean EOF. */
  boolean receiveRecord(byte[] into) throws IOException {
    SocketLibc.Buffer b = buffer(into.length + 1L);
    long got = 0;
    while (got < into.length) {
      long n = SocketLibc.recv(fd, b, got, into.length - got, label);
      if (n == 0) {
        if (got == 0) {
          return false;
        }
        throw new IOException(label + ": EOF after " + got + " of " + into.length + " bytes of a record");
      }
      got += n;
    }
    b.get(0, into, 0, into.length);
    return true;
  }

  /** Waits for EOF on a stream; fails if data comes instead. */
  void expectEof() throws IOException {
    SocketLibc.Buffer b = buffer(1);
    long n = SocketLibc.recv(fd, b, 0, 1, label);
    if (n != 0) {
      throw new IOException(label + ": data after the last record, not EOF");
    }
  }

  /** One sendto() of the whole datagram to {@code to}. */
  void sendTo(byte[] datagram, Address to) {
    SocketLibc.Buffer b = buffer(datagram.length + 1L);
    b.put(0, datagram, 0, datagram.length);
    byte[] sa = to.sockaddr();
    long sent = SocketLibc.sendto(fd, b, datagram.length, sa, sa.length, label + " to " + to);
    if (sent != datagram.length) {
      throw new IllegalStateException("sendto " + to + ": sent " + sent + " of " + datagram.length + " bytes");
    }
  }

  /** One datagram (one recvfrom()), which must be exactly {@code into.length} bytes; returns its sender. */
  /* @Nullable */ Address receiveFrom(byte[] into) throws IOException {
    // One byte of room more than expected, so that a longer datagram shows (recvfrom would cut it silently).
    SocketLibc.Buffer b = buffer(into.length + 1L);
    byte[] sa = new byte[SocketLibc.SOCKADDR_UN_SIZE];
    int[] salen = new int[1];
    long n = SocketLibc.recvfrom(fd, b, into.length + 1L, sa, salen, label);
    if (n != into.length) {
      throw new IOException(label + ": a datagram of " + n + " bytes, expected " + into.length);
    }
    b.get(0, into, 0, into.length);
    return Address.of(sa, Math.min(salen[0], sa.length));
  }

  /** One sendmsg() carrying {@code payload} and descriptor {@code passFd} (SCM_RIGHTS). */
  void sendWithFd(byte[] payload, int passFd) {
    long sent = SocketLibc.sendWithFd(fd, payload, passFd, label);
    if (sent != payload.length) {
      throw new IllegalStateException("sendmsg " + label + ": sent " + sent + " of " + payload.length + " bytes");
    }
  }

  /**
   * One recvmsg() that must bring exactly {@code payload.length} bytes and one descriptor (the
   * sender's sendmsg, not merged with later data: the kernel ends a read at a message with
   * descriptors). Returns the descriptor, the caller's to close.
   */
  int receiveWithFd(byte[] payload) throws IOException {
    SocketLibc.Received r = SocketLibc.recvWithFd(fd, payload, label);
    if (r.bytes() != payload.length || r.fd() < 0) {
      if (r.fd() >= 0) {
        SocketLibc.close(r.fd(), "unexpected descriptor from " + label);
      }
      throw new IOException(label + ": recvmsg got " + r.bytes() + " bytes and " + (r.fd() < 0 ? "no" : "a")
          + " descriptor, expected " + payload.length + " bytes and one");
    }
    return r.fd();
  }

  /** shutdown(SHUT_WR): the peer reads EOF, whoever else holds this socket's descriptors. */
  void shutdownOutput() {
    SocketLibc.shutdown(fd, SocketLibc.SHUT_WR, label);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      SocketLibc.close(fd, label);
    }
  }

  @Override
  public String toString() {
    return label + " (fd " + fd + ")";
  }
}
