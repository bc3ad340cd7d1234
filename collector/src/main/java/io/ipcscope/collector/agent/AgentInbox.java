package io.ipcscope.collector.agent;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The hand-off from the agent socket's thread to the collector's loop, which owns the model: messages in arrival
 * order, and the socket side's counts. Operations beyond {@code capacity} waiting are dropped and counted (a loop
 * that falls behind must not cost memory without bound); hellos, marks and goodbyes are never dropped, so a JVM is
 * never held for after it left.
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
    if (message instanceof AgentMessage.Op) {
      if (opsWaiting.incrementAndGet() > capacity) {
        opsWaiting.decrementAndGet();
        opsDropped.incrementAndGet();
        return;
      }
      ops.incrementAndGet();
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
      if (m instanceof AgentMessage.Op) {
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

  /** Operations taken from agents. */
  public long ops() {
    return ops.get();
  }

  /** Operations dropped because the loop had {@code capacity} waiting already. */
  public long opsDropped() {
    return opsDropped.get();
  }
}
