package io.ipcscope.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A POSIX message queue with priorities. The demo creates the queue {@link #queueName} (mq_open
 * O_CREAT|O_EXCL, mode 0600, mq_msgsize = size, mq_maxmsg {@link #capacity}) and closes its
 * descriptor at once; a producer JVM sends N messages, one mq_send each, with priorities cycling
 * {@link #PRIORITIES} in send order; a consumer JVM receives them.
 *
 * <p>The consumer receives only once {@value #ROUND} messages wait (it polls mq_getattr) or the
 * producer is done, so every batch comes out by priority, highest first, not in send order. It
 * learns that the producer is done, and how many it sent, from a file the demo writes after the
 * producer exited: no other IPC links them. The demo unlinks the queue whatever happens, also on
 * SIGTERM/SIGINT.
 *
 * <p>Truth: posix_mq "producer->consumer", N messages, N * size bytes (msg_len), path = the queue
 * name; a SIGCHLD from consumer and producer to the parent.
 */
final class PosixMqWorkload implements Workload {

  static final String MECHANISM = "posix_mq";
  static final String CHANNEL = "producer->consumer";

  /** Message k (from 1) has priority PRIORITIES[(k - 1) % 3]: each round is sent lowest first. */
  static final int[] PRIORITIES = {0, 5, 9};

  /** Messages the consumer lets wait before it receives: one of each priority. */
  static final int ROUND = PRIORITIES.length;

  /** The unprivileged limit on mq_maxmsg (fs.mqueue.msg_max, 10 by default). */
  private static final int MAX_MESSAGES = 10;

  /** Payload a queue may hold: under the default RLIMIT_MSGQUEUE (800 KiB), which counts every queue's maximum. */
  private static final int PAYLOAD_BUDGET = 640 * 1024;

  private static final String SENT_FILE = "producer.sent";

  private static final String QUEUE_PREFIX = "/ipcscope-demo-";
  private static final Pattern QUEUE_NAME = Pattern.compile(Pattern.quote(QUEUE_PREFIX) + "([1-9][0-9]{0,9})");

  @Override
  public String name() {
    return "posix-mq";
  }

  @Override
  public String description() {
    return "POSIX message queue: a producer JVM sends with priorities 0, 5, 9; a consumer JVM receives them by priority";
  }

  /** The queue of the demo with pid {@code demoPid}: "/ipcscope-demo-PID". */
  static String queueName(long demoPid) {
    return QUEUE_PREFIX + demoPid;
  }

  /** The pid of the demo whose queue is {@code name} ({@link #queueName} backwards), or empty for another name. */
  static OptionalLong demoPid(String name) {
    Matcher m = QUEUE_NAME.matcher(name);
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** A killed demo leaves its queue and the run's temp dir. */
  @Override
  public List<Leftovers> leftovers() {
    return List.of(PosixQueue.leftovers(PosixMqWorkload::demoPid), Run.tempDirs(name()));
  }

  /**
   * mq_maxmsg for messages of {@code size} bytes: {@value #MAX_MESSAGES} as long as that stays in
   * the payload budget, never fewer than a round, or the producer would block before the
   * consumer sees a full round and both would wait forever.
   */
  static int capacity(int size) {
    return Math.max(ROUND, Math.min(MAX_MESSAGES, PAYLOAD_BUDGET / size));
  }

  static int priority(long seq) {
    return PRIORITIES[(int) ((seq - 1) % PRIORITIES.length)];
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    String name = queueName(run.pid());
    Path sentFile = run.tempDir().resolve(SENT_FILE);
    Process consumer;
    Process producer;
    try (PosixQueue.Created queue = run.closeAtEnd(PosixQueue.create(name, capacity(size), size))) {
      consumer = run.startChild("consumer", Run.Stdio.CONTROL, List.of(name, sentFile.toString()), Map.of());
      producer = run.startChild("producer", Run.Stdio.CONTROL, List.of(name), Map.of());
      run.announce();
      run.await(List.of(producer), List.of(consumer));
      Run.writeAtomically(sentFile, Long.toString(run.resultCount("producer", "messages")));
      run.await(consumer);
    }

    long sent = run.resultCount("producer", "messages");
    long received = run.resultCount("consumer", "messages");
    long bytes = run.resultCount("consumer", "bytes");
    long late = run.resultCount("consumer", "late");
    if (received != sent || bytes != sent * size) {
      throw new IOException("posix-mq: producer sent " + sent + " messages, consumer received " + received
          + " (" + bytes + " bytes)");
    }
    // The consumer's first batch holds message 1 (priority 0) and a later one of higher priority.
    if (sent >= 2 && late == 0) {
      throw new IOException("posix-mq: no message of " + sent + " was overtaken by one of higher priority");
    }
    run.channel(MECHANISM, CHANNEL, producer.pid(), consumer.pid(), sent, sent * size, name);
    run.childExitSignals(consumer, producer);
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    String name = child.arg(0);
    switch (role) {
      case "producer" -> produce(name, child);
      case "consumer" -> consume(name, Path.of(child.arg(1)), child);
      default -> Workload.super.child(role, child);
    }
  }

  private static void produce(String name, ChildContext child) throws Exception {
    byte[] message = Records.newRecord(child.size());
    Pacer pacer = child.pacer();
    try (PosixQueue queue = PosixQueue.open(name, Libc.O_WRONLY)) {
      while (pacer.next()) {
        Records.stamp(message, pacer.count());
        queue.send(message, priority(pacer.count()));
      }
    }
    child.report("messages", pacer.count());
  }

  /**
   * Receives in batches: a full round, or everything left once the producer is done. Checks each
   * message against the one sent: the queue is FIFO within a priority, so the j-th message of a
   * priority is the j-th sent with it. Reports how many arrived after a later-sent one ("late").
   */
  private static void consume(String name, Path sentFile, ChildContext child) throws Exception {
    Received received = new Received(child.size());
    try (PosixQueue queue = PosixQueue.open(name, Libc.O_RDONLY)) {
      long sent = -1;
      while (sent < 0 || received.count() < sent) {
        if (sent < 0) {
          sent = sentCount(sentFile);
        }
        // Once the producer is done, all it sent is in the queue or received already.
        long batch = sent >= 0 ? sent - received.count() : queue.waiting();
        if (sent < 0 && batch < ROUND) {
          Thread.sleep(1);
          continue;
        }
        for (long i = 0; i < batch; i++) {
          received.check(queue.receive(received.buffer()));
        }
      }
      if (received.count() != sent) {
        throw new IOException("received " + received.count() + " messages, the producer sent " + sent);
      }
    }
    child.report("messages", received.count());
    child.report("bytes", received.count() * child.size());
    child.report("late", received.late());
  }

  /** The producer's count once the demo published it, else -1. */
  private static long sentCount(Path sentFile) throws IOException {
    return Files.exists(sentFile) ? Long.parseLong(Files.readString(sentFile).strip()) : -1;
  }

  /** What the consumer received so far, checked message by message. */
  private static final class Received {

    private final byte[] buffer;
    private final byte[] expected;
    private final long[] perPriority = new long[PRIORITIES.length];
    private long count;
    private long newest;
    private long late;

    Received(int size) {
      buffer = new byte[size];
      expected = Records.newRecord(size);
    }

    byte[] buffer() {
      return buffer;
    }

    void check(PosixQueue.Message message) throws IOException {
      int slot = slot(message.priority());
      if (slot < 0) {
        throw new IOException("message " + (count + 1) + " has priority " + message.priority());
      }
      long seq = perPriority[slot]++ * PRIORITIES.length + slot + 1;
      Records.stamp(expected, seq);
      if (message.length() != buffer.length || !Arrays.equals(expected, buffer)) {
        throw new IOException("message " + seq + " (priority " + message.priority() + ", " + message.length()
            + " bytes) is not the one sent");
      }
      if (seq < newest) {
        late++;
      } else {
        newest = seq;
      }
      count++;
    }

    private static int slot(int priority) {
      for (int i = 0; i < PRIORITIES.length; i++) {
        if (PRIORITIES[i] == priority) {
          return i;
        }
      }
      return -1;
    }

    long count() {
      return count;
    }

    long late() {
      return late;
    }
  }
}
