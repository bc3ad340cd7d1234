package io.ipcscope.collector.agent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The hand-off from the agent socket's thread to the collector's loop, which owns the model: messages in arrival
 * order, and the socket side's counts. Operations (and summaries) beyond {@code capacity} waiting are dropped and
 * counted (a loop that falls behind must not cost memory without bound); hellos, marks and goodbyes are never
 * dropped, so a JVM is never held for after it left.
 */
public final class AgentInbox {

  /** About a second of a busy JVM's operations. */
  public static final int DEFAULT_CAPACITY = 65_536;

  private final ConcurrentLinkedQueue<AgentMessage> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger opsWaiting = new AtomicInteger();
  private final int capacity;
  private final AtomicLong welcomed = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong badLines = new AtomicLong();
  private final AtomicLong ops = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong summaries = new AtomicLong();
  private final AtomicLong opsDropped = new AtomicLong();
  private final AtomicInteger connected = new AtomicInteger();

  public AgentInbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, not " + capacity);
    }
    this.capacity = capacity;
  }

  /** From the socket's thread (and tests, which play the agents). */
  public void offer(AgentMessage message) {
    if (message instanceof AgentMessage.Op || message instanceof AgentMessage.Summary) {
      boolean summary = message instanceof AgentMessage.Summary;
      AgentOp op = summary ? ((AgentMessage.Summary) message).op() : ((AgentMessage.Op) message).op();
      long count = summary ? ((AgentMessage.Summary) message).count() : 1;
      if (opsWaiting.incrementAndGet() > capacity) {
        opsWaiting.decrementAndGet();
        opsDropped.addAndGet(count);
        return;
      }
      ops.addAndGet(count);
      bytes.addAndGet(Math.max(0, op.bytes()));
      if (summary) {
        summaries.incrementAndGet();
      }
    } else if (message instanceof AgentMessage.Hello) {
      welcomed.incrementAndGet();
      connected.incrementAndGet();
    } else if (message instanceof AgentMessage.Gone) {
      connected.decrementAndGet();
    }
    queue.add(message);
  }

  /** Hands every waiting message to {@code to}, oldest first; from the loop's thread. Returns how many. */
  public int drain(Consumer<AgentMessage> to) {
    int n = 0;
    AgentMessage m;
    while ((m = queue.poll()) != null) {
      if (m instanceof AgentMessage.Op || m instanceof AgentMessage.Summary) {
        opsWaiting.decrementAndGet();
      }
      to.accept(m);
      n++;
    }
    return n;
  }

  void reject() {
    rejected.incrementAndGet();
  }

  void badLine() {
    badLines.incrementAndGet();
  }

  /** Agents connected now (welcomed, not yet gone). */
  public int connected() {
    return connected.get();
  }

  /** Hellos answered with a welcome. */
  public long welcomed() {
    return welcomed.get();
  }

  /** Hellos refused (a pid that is not the peer's, a bad hello, too many agents) and connections without hello. */
  public long rejected() {
    return rejected.get();
  }

  /** Lines skipped or connections dropped for them: not JSON, not a known type, missing fields, too long. */
  public long badLines() {
    return badLines.get();
  }

  /** Operations taken from agents, one by one and in summaries. */
  public long ops() {
    return ops.get();
  }

  /** Bytes the operations taken from agents moved, one by one and in summaries. */
  public long bytes() {
    return bytes.get();
  }

  /** Summaries taken from agents (each stands for its count of operations in {@link #ops()}). */
  public long summaries() {
    return summaries.get();
  }

  /** Operations dropped because the loop had {@code capacity} waiting already (a summary's count of them). */
  public long opsDropped() {
    return opsDropped.get();
  }
}
