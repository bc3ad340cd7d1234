package io.ipcscope.cli.bench;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How the two ping-pong processes hand a byte back and forth: one call each way per side, so every transport
 * costs four traced calls per round trip (syscalls; for shared memory, the libc semaphore functions). The driver owns the channel (it creates and removes any IPC object);
 * the pong process gets what it needs to join it as arguments.
 */
sealed interface Transport {

  /** The driver's ping: send one byte to pong and wait for its answer. */
  void roundTrip() throws IOException;

  /** Arguments for the pong process. */
  List<String> pongArgs();

  /** Removes what the driver created. */
  void close();

  /** Transport names as the bench's {@code --transport} takes them, and the two calls each side makes. */
  enum Kind {
    PIPE("write", "read"),
    SYSV_MQ("msgsnd", "msgrcv"),
    POSIX_MQ("mq_timedsend", "mq_timedreceive"),
    UNIX_STREAM("write", "read"),
    UNIX_DGRAM("sendto", "recvfrom"),
    TCP("write", "read"),
    /** Libc functions, not syscalls: a post or wait makes a futex(2) call only when the other side sleeps. */
    SHM_SEM("sem_post", "sem_wait");

    private final List<String> calls;

    Kind(String send, String receive) {
      this.calls = List.of(send, receive);
    }

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** What another tool must count to see the same traffic: syscalls, or libc functions when {@link #inLibc()}. */
    List<String> calls() {
      return calls;
    }

    /** The handoff is libc functions (uprobes can count them), with no syscall of its own to filter on. */
    boolean inLibc() {
      return this == SHM_SEM;
    }

    String describe() {
      return switch (this) {
        case PIPE -> "over two pipes";
        case SYSV_MQ -> "over one System V message queue (types 1 and 2)";
        case POSIX_MQ -> "over two POSIX message queues";
        case UNIX_STREAM -> "over a Unix stream socket";
        case UNIX_DGRAM -> "over two Unix datagram sockets (abstract names)";
        case TCP -> "over loopback TCP (TCP_NODELAY)";
        case SHM_SEM -> "through POSIX shared memory, handed over by two process-shared POSIX semaphores";
      };
    }
  }

  /** Starts the pong process with the arguments that let it join the channel. */
  @FunctionalInterface
  interface PongStarter {
    Process start(List<String> pongArgs) throws IOException;
  }

  /**
   * Polls {@code joined} every millisecond until pong has joined the channel; fails if pong exits first or takes
   * more than 30 s.
   */
  static void awaitPong(Process pong, String what, BooleanSupplier joined) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!joined.getAsBoolean()) {
      if (!pong.isAlive()) {
        throw new IOException("pong exited (status " + pong.exitValue() + ") before it could " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("pong did not " + what + " within 30 s");
      }
      LockSupport.parkNanos(1_000_000);
    }
  }

  /** The child's stdin and stdout: a pair of pipes, one write(2) and one read(2) per byte. */
  record Pipes(OutputStream toPong, InputStream fromPong) implements Transport {
    @Override
    public void roundTrip() throws IOException {
      toPong.write('p');
      toPong.flush();
      if (fromPong.read() < 0) {
        throw new IOException("pong died");
      }
    }

    @Override
    public List<String> pongArgs() {
      return List.of("pipe");
    }

    @Override
    public void close() {}
  }

  /** One System V queue: pings are type 1, pongs type 2; one msgsnd and one msgrcv per side. */
  record SysvQueue(int id, byte[] buffer) implements Transport {
    static final long PING = 1;
    static final long PONG = 2;

    static SysvQueue create() {
      return new SysvQueue(QueueLibc.C.msgget(QueueLibc.IPC_PRIVATE, QueueLibc.IPC_CREAT | 0600), new byte[16]);
    }

    /** Sends a one-byte message of {@code type}, then waits for one of {@code answer}. */
    static void exchange(int id, byte[] buffer, long type, long answer) {
      send(id, buffer, type);
      receive(id, buffer, answer);
    }

    /** Sends a one-byte message of {@code type} (struct msgbuf: the type, then the byte). */
    static void send(int id, byte[] buffer, long type) {
      java.nio.ByteBuffer.wrap(buffer).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, type);
      QueueLibc.C.msgsnd(id, buffer, 1, 0);
    }

    static void receive(int id, byte[] buffer, long type) {
      QueueLibc.retryInterrupted(() -> QueueLibc.C.msgrcv(id, buffer, 8, type, 0));
    }

    @Override
    public void roundTrip() {
      exchange(id, buffer, PING, PONG);
    }

    @Override
    public List<String> pongArgs() {
      return List.of("sysv_mq", Integer.toString(id));
    }

    @Override
    public void close() {
      QueueLibc.C.msgctl(id, QueueLibc.IPC_RMID, null);
    }
  }

  /** Two POSIX queues, one per direction (a POSIX queue cannot select by type); one mq_send and one mq_receive. */
  record PosixQueues(String base, int toPong, int fromPong, byte[] buffer) implements Transport {

    static PosixQueues create() {
      String base = "/ipcscope-bench-" + ProcessHandle.current().pid();
      int flags = QueueLibc.O_RDWR | QueueLibc.O_CREAT | QueueLibc.O_EXCL;
      int ping = QueueLibc.C.mq_open(base + "-ping", flags, 0600, QueueLibc.mqAttr(4, 8));
      int pong = QueueLibc.C.mq_open(base + "-pong", flags, 0600, QueueLibc.mqAttr(4, 8));
      return new PosixQueues(base, ping, pong, new byte[8]);
    }

    static void exchange(int out, int in, byte[] buffer) {
      QueueLibc.C.mq_send(out, buffer, 1, 0);
      QueueLibc.retryInterrupted(() -> QueueLibc.C.mq_receive(in, buffer, buffer.length, null));
    }

    @Override
    public void roundTrip() {
      exchange(toPong, fromPong, buffer);
    }

    @Override
    public List<String> pongArgs() {
      return List.of("posix_mq", base);
    }

    @Override
    public void close() {
      QueueLibc.C.mq_close(toPong);
      QueueLibc.C.mq_close(fromPong);
      QueueLibc.C.mq_unlink(base + "-ping");
      QueueLibc.C.mq_unlink(base + "-pong");
    }
  }

  /**
   * A connected stream socket, Unix or loopback TCP. A blocking NIO channel makes one write(2) per write and one
   * read(2) per read of a one-byte buffer. The driver listens; once pong has connected, the listening socket is
   * closed and a Unix socket's file removed, so nothing is left behind even if the driver is killed.
   */
  record Stream(SocketChannel channel, ByteBuffer buffer, List<String> pongArgs) implements Transport {

    static Stream unix(PongStarter starter) throws IOException {
      Path dir = Files.createTempDirectory("ipcscope-bench-" + ProcessHandle.current().pid() + "-");
      Path path = dir.resolve("pingpong.sock");
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
        server.bind(UnixDomainSocketAddress.of(path), 1);
        return accept(server, starter, List.of("unix_stream", path.toString()));
      } finally {
        Files.deleteIfExists(path);
        Files.deleteIfExists(dir);
      }
    }

    static Stream tcp(PongStarter starter) throws IOException {
      try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
        server.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 1);
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        Stream stream = accept(server, starter, List.of("tcp", Integer.toString(port)));
        stream.channel().setOption(StandardSocketOptions.TCP_NODELAY, true);
        return stream;
      }
    }

    private static Stream accept(ServerSocketChannel server, PongStarter starter, List<String> pongArgs)
        throws IOException {
      server.configureBlocking(false); // so that a pong that dies before connecting is noticed
      Process pong = starter.start(pongArgs);
      SocketChannel[] accepted = new SocketChannel[1];
      awaitPong(pong, "connect to " + server.getLocalAddress(), () -> {
        try {
          accepted[0] = server.accept();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return accepted[0] != null;
      });
      accepted[0].configureBlocking(true);
      return new Stream(accepted[0], ByteBuffer.allocateDirect(1), pongArgs);
    }

    /** Pong's side: connects to the driver's socket as {@code args} name it. */
    static SocketChannel connect(String kind, String where) throws IOException {
      if (kind.equals("tcp")) {
        SocketChannel channel = SocketChannel.open(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), Integer.parseInt(where)));
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return channel;
      }
      return SocketChannel.open(UnixDomainSocketAddress.of(where));
    }

    /** Pong's side: reads one byte and writes it back; false once the driver has gone. */
    static boolean echo(SocketChannel channel, ByteBuffer buffer) throws IOException {
      buffer.clear();
      if (channel.read(buffer) < 0) {
        return false;
      }
      buffer.flip();
      channel.write(buffer);
      return true;
    }

    @Override
    public void roundTrip() throws IOException {
      buffer.clear();
      buffer.put(0, (byte) 'p');
      channel.write(buffer);
      buffer.clear();
      if (channel.read(buffer) < 0) {
        throw new IOException("pong died");
      }
    }

    /** Nothing to remove: the socket file went when pong connected, and the socket goes with the process. */
    @Override
    public void close() {}
  }

  /**
   * Two Unix datagram sockets bound to abstract names (no file to remove), "ipcscope-bench-PID-ping" for the
   * driver and "-pong" for pong, each sending to the other: one sendto and one recvfrom per side.
   */
  record Datagrams(String base, int fd, byte[] peer, byte[] buffer) implements Transport {

    static Datagrams create(PongStarter starter) throws IOException {
      String base = "ipcscope-bench-" + ProcessHandle.current().pid();
      int fd = BenchLibc.boundDatagramSocket(base + "-ping");
      try {
        byte[] buffer = new byte[8];
        Process pong = starter.start(List.of("unix_dgram", base));
        // pong says hello once its own socket is bound: from then on a sendto to it cannot be refused
        awaitPong(pong, "bind @" + base + "-pong", () -> tryReceive(fd, buffer));
        return new Datagrams(base, fd, BenchLibc.abstractAddress(base + "-pong"), buffer);
      } catch (IOException | RuntimeException e) {
        BenchLibc.closeQuietly(fd);
        throw e;
      }
    }

    private static boolean tryReceive(int fd, byte[] buffer) {
      try {
        BenchLibc.C.recvfrom(fd, buffer, buffer.length, BenchLibc.MSG_DONTWAIT, null, null);
        return true;
      } catch (LastErrorException e) {
        if (e.getErrorCode() == BenchLibc.EAGAIN) {
          return false;
        }
        throw e;
      }
    }

    static void send(int fd, byte[] buffer, byte[] to) {
      BenchLibc.C.sendto(fd, buffer, 1, 0, to, to.length);
    }

    static void receive(int fd, byte[] buffer) {
      QueueLibc.retryInterrupted(() -> BenchLibc.C.recvfrom(fd, buffer, buffer.length, 0, null, null));
    }

    @Override
    public void roundTrip() {
      buffer[0] = 'p';
      send(fd, buffer, peer);
      receive(fd, buffer);
    }

    @Override
    public List<String> pongArgs() {
      return List.of("unix_dgram", base);
    }

    /**
     * Nothing to remove: an abstract name goes with its socket when the process exits. Closing the descriptor here,
     * in the shutdown hook, would pull it from under a round trip still running on the main thread.
     */
    @Override
    public void close() {}
  }

  /**
   * A POSIX shared memory object "/ipcscope-bench-PID" mapped by both processes, holding two process-shared
   * semaphores (sem_init with pshared=1) and the byte: the driver writes the byte, posts "ping" and waits on "pong";
   * pong waits on "ping", writes the byte back and posts "pong". One sem_post and one sem_wait per side; each is a
   * futex(2) call only when the other side is asleep. The name is unlinked as soon as pong has mapped the object.
   */
  record SharedMemory(String name, Pointer base, Pointer ping, Pointer pong) implements Transport {
    static final long SIZE = 4096;
    static final long PING = 0;
    static final long PONG = BenchLibc.SEM_SIZE;
    static final long DATA = 2L * BenchLibc.SEM_SIZE;

    static SharedMemory create(PongStarter starter) throws IOException {
      String name = "/ipcscope-bench-" + ProcessHandle.current().pid();
      int fd = BenchLibc.C.shm_open(name, BenchLibc.O_RDWR | BenchLibc.O_CREAT | BenchLibc.O_EXCL, 0600);
      try {
        BenchLibc.C.ftruncate(fd, SIZE);
        Pointer base = map(fd);
        BenchLibc.C.sem_init(base.share(PING), 1, 0);
        BenchLibc.C.sem_init(base.share(PONG), 1, 0);
        Process pong = starter.start(List.of("shm_sem", name));
        // pong posts "pong" once it has the object mapped: the name is not needed after that
        awaitPong(pong, "map " + name, () -> tryWait(base.share(PONG)));
        return new SharedMemory(name, base, base.share(PING), base.share(PONG));
      } finally {
        BenchLibc.closeQuietly(fd);
        unlink(name);
      }
    }

    static Pointer map(int fd) {
      return BenchLibc.C.mmap(null, SIZE, BenchLibc.PROT_READ | BenchLibc.PROT_WRITE, BenchLibc.MAP_SHARED, fd, 0);
    }

    private static boolean tryWait(Pointer sem) {
      try {
        BenchLibc.C.sem_trywait(sem);
        return true;
      } catch (LastErrorException e) {
        if (e.getErrorCode() == BenchLibc.EAGAIN) {
          return false;
        }
        throw e;
      }
    }

    static void await(Pointer sem) {
      QueueLibc.retryInterrupted(() -> BenchLibc.C.sem_wait(sem));
    }

    private static void unlink(String name) {
      try {
        BenchLibc.C.shm_unlink(name);
      } catch (LastErrorException e) {
        if (e.getErrorCode() != BenchLibc.ENOENT) {
          throw e;
        }
      }
    }

    @Override
    public void roundTrip() {
      base.setByte(DATA, (byte) 'p');
      BenchLibc.C.sem_post(ping);
      await(pong);
    }

    @Override
    public List<String> pongArgs() {
      return List.of("shm_sem", name);
    }

    /**
     * Unlinks the name if pong never mapped the object. The mapping and its semaphores go with the process: unmapping
     * here, in the shutdown hook, would pull them from under a round trip still running on the main thread.
     */
    @Override
    public void close() {
      unlink(name);
    }
  }
}
