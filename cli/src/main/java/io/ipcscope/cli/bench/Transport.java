package io.ipcscope.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;

/**
 * How the two ping-pong processes hand a byte back and forth: one system call each way per side, so every transport
 * costs four traced syscalls per round trip. The driver owns the channel (it creates and removes any IPC object);
 * the pong process gets what it needs to join it as arguments.
 */
sealed interface Transport {

  /** The driver's ping: send one byte to pong and wait for its answer. */
  void roundTrip() throws IOException;

  /** Arguments for the pong process. */
  List<String> pongArgs();

  /** Removes what the driver created. */
  void close();

  /** Transport names as the bench's {@code --transport} takes them, and the two syscalls each side makes. */
  enum Kind {
    PIPE("write", "read"),
    SYSV_MQ("msgsnd", "msgrcv"),
    POSIX_MQ("mq_timedsend", "mq_timedreceive");

    private final List<String> syscalls;

    Kind(String send, String receive) {
      this.syscalls = List.of(send, receive);
    }

    String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** What another tool must count to see the same traffic. */
    List<String> syscalls() {
      return syscalls;
    }

    String describe() {
      return switch (this) {
        case PIPE -> "over two pipes";
        case SYSV_MQ -> "over one System V message queue (types 1 and 2)";
        case POSIX_MQ -> "over two POSIX message queues";
      };
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
}
