package io.ipcscope.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An open POSIX message queue descriptor; {@link #close} is mq_close. The queue itself lives on
 * under its name until unlinked: its creator holds it as a {@link Created} and unlinks it by
 * closing that.
 */
final class PosixQueue implements AutoCloseable {

  /** A received message: its length and priority. */
  record Message(int length, int priority) {}

  private final String name;
  private final int mqd;
  private boolean closed;

  private PosixQueue(String name, int mqd) {
    this.name = name;
    this.mqd = mqd;
  }

  /** Opens the existing queue {@code name} ("/something") with O_RDONLY or O_WRONLY. */
  static PosixQueue open(String name, int flags) {
    return new PosixQueue(name, Libc.mqOpen(name, flags));
  }

  /**
   * Creates the queue {@code name} (O_CREAT|O_EXCL, mode 0600) for {@code maxMessages} messages
   * of up to {@code messageSize} bytes. The creator keeps no descriptor: it never sends or
   * receives, and a tracer naming the ends of the queue from who holds it should not see it.
   */
  static Created create(String name, int maxMessages, int messageSize) {
    int mqd;
    try {
      mqd = Libc.mqCreate(name, Libc.O_WRONLY | Libc.O_EXCL, 0600, maxMessages, messageSize);
    } catch (ErrnoException e) {
      String hint = switch (e.errno()) {
        case Libc.EEXIST -> "left by a killed demo? remove it with: ipcscope demo --cleanup";
        case Libc.EMFILE -> "more than this user's RLIMIT_MSGQUEUE (ulimit -q) allows; try a smaller --size";
        case Libc.EINVAL -> "more than fs.mqueue.msg_max (" + Sysctl.readOrUnknown("fs/mqueue/msg_max")
            + ") messages or fs.mqueue.msgsize_max (" + Sysctl.readOrUnknown("fs/mqueue/msgsize_max")
            + ") bytes needs CAP_SYS_RESOURCE; try a smaller --size";
        default -> null;
      };
      throw hint == null ? e : new ErrnoException(
          "mq_open " + name + " (" + maxMessages + " messages of " + messageSize + " bytes)", e.errno(), hint);
    }
    Created created = new Created(name);
    try {
      Libc.mqClose(name, mqd);
    } catch (ErrnoException e) {
      created.close();
      throw e;
    }
    return created;
  }

  String name() {
    return name;
  }

  /**
   * The queues whose name {@code demoPid} reads a demo's pid from. Only the mqueue fs lists them
   * (file "x" is queue "/x"); its mtime is the last send or receive, or the creation.
   */
  static Leftovers leftovers(Function<String, OptionalLong> demoPid) {
    return new Leftovers() {
      @Override
      public String kind() {
        return "posix_mq";
      }

      @Override
      public List<Leftovers.Found> find(Leftovers.Host host) throws IOException {
        List<Leftovers.Found> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(host.mqueueDir())) {
          for (Path file : files.sorted().toList()) {
            String queue = "/" + file.getFileName();
            OptionalLong pid = demoPid.apply(queue);
            if (pid.isPresent()) {
              found.add(new Leftovers.Found(kind(), queue, pid.getAsLong(),
                  Files.getLastModifiedTime(file).toInstant(), () -> Libc.mqUnlink(queue)));
            }
          }
        }
        return found;
      }
    };
  }

  /** Sends {@code message} with {@code priority}, waiting while the queue is full. */
  void send(byte[] message, int priority) {
    Libc.mqSend(name, mqd, message, priority);
  }

  /**
   * Waits for the oldest message of the highest priority waiting; {@code buffer} must hold the
   * queue's message size.
   */
  Message receive(byte[] buffer) {
    int[] priority = new int[1];
    int length = Libc.mqReceive(name, mqd, buffer, priority);
    return new Message(length, priority[0]);
  }

  /** How many messages wait in the queue now. */
  long waiting() {
    return Libc.mqWaiting(name, mqd);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Libc.mqClose(name, mqd);
    }
  }

  /** A queue this process created: {@link #close} unlinks its name, once, from whichever thread comes first. */
  static final class Created implements AutoCloseable {

    private final String name;
    private final AtomicBoolean unlinked = new AtomicBoolean();

    private Created(String name) {
      this.name = name;
    }

    String name() {
      return name;
    }

    /** Idempotent: the workload's finally and the run's shutdown cleanup may both call it. */
    @Override
    public void close() {
      if (unlinked.compareAndSet(false, true)) {
        Libc.mqUnlink(name);
      }
    }
  }
}
