package io.ipcscope.agent.capture;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Operations on their way from the application's threads to the agent's export thread. Bounded: when the exporter
 * falls behind, new operations are dropped and counted, and the application never waits.
 *
 * <p>Many producers, one consumer, no lock: an offer claims a slot with one compare-and-set and publishes the
 * operation with an ordered store. It does not wake the consumer, which comes by every {@link #LINGER_NANOS} while
 * operations flow: waking it per operation (a futex call and, on a busy CPU, two context switches) cost more than all
 * the rest of an operation (docs/PERFORMANCE.md, "The Java agent"). Only the first operation after the consumer went
 * to sleep on an empty queue wakes it, and so does a queue half full.
 */
public final class OpQueue {

  /** How long the consumer waits between two looks while operations flow: an operation's longest extra delay. */
  static final long LINGER_NANOS = 10_000_000;

  private final AtomicReferenceArray<IpcOp> slots;
  private final int mask;
  private final int capacity;
  /** Slots claimed so far (= operations accepted). */
  private final AtomicLong tail = new AtomicLong();
  /** Slots consumed so far; written by the consumer only. */
  private final AtomicLong head = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  /** Written and read by the consumer only. */
  private long acceptedElsewhere;
  /** The consumer thread, for the wake-up of a queue half full. */
  private volatile Thread consumer;
  /** The consumer while it sleeps on an empty queue until an offer wakes it; null otherwise. */
  private volatile Thread sleeper;
  /** Set by {@link #wakeConsumer}: the consumer's wait ends now. */
  private volatile boolean wake;

  public OpQueue(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    int slotsLength = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(slotsLength);
    this.mask = slotsLength - 1;
    this.capacity = capacity;
  }

  /** Never blocks, never allocates; drops the operation (counted) when the queue is full. */
  public void offer(IpcOp op) {
    long t;
    long h;
    do {
      t = tail.get();
      h = head.get();
      if (t - h >= capacity) {
        dropped.incrementAndGet();
        return;
      }
    } while (!tail.compareAndSet(t, t + 1));
    slots.lazySet((int) t & mask, op);
    Thread asleep = sleeper;
    if (asleep != null) {
      sleeper = null;
      LockSupport.unpark(asleep);
    } else if (t - h == capacity / 2) {
      LockSupport.unpark(consumer); // lingering while a burst fills the queue: take it now
    }
  }

  /**
   * Takes what is queued, up to {@code max}; when nothing is, waits up to {@code timeoutMillis} for something: it
   * looks again after {@link #LINGER_NANOS}, and if the queue is still empty, sleeps until an offer wakes it or the
   * time is up. One consumer thread only.
   */
  public int drainTo(List<IpcOp> batch, int max, long timeoutMillis) throws InterruptedException {
    Thread me = Thread.currentThread();
    consumer = me;
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    boolean lingered = false;
    while (true) {
      int n = poll(batch, max);
      if (n > 0) {
        return n;
      }
      if (wake) {
        wake = false;
        return 0;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return 0;
      }
      if (!lingered) {
        // operations may be flowing with a gap: look again shortly, without asking the producers to wake us
        lingered = true;
        LockSupport.parkNanos(this, Math.min(left, LINGER_NANOS));
      } else {
        sleeper = me;
        // an offer that claimed its slot before this look is seen here; one after it sees the sleeper and wakes us
        LockSupport.parkNanos(this, size() == 0 ? left : Math.min(left, 100_000)); // (claimed, not yet published)
        sleeper = null;
      }
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** Ends the consumer's wait in {@link #drainTo} now (or its next one, when it is not waiting): at shutdown. */
  public void wakeConsumer() {
    wake = true;
    Thread c = consumer;
    if (c != null) {
      LockSupport.unpark(c);
    }
  }

  private int poll(List<IpcOp> batch, int max) {
    long h = head.get();
    int n = 0;
    while (n < max) {
      int index = (int) h & mask;
      IpcOp op = slots.get(index);
      if (op == null) {
        break; // empty, or claimed and not yet published: taken next time, in order
      }
      slots.lazySet(index, null);
      batch.add(op);
      h++;
      n++;
    }
    if (n > 0) {
      head.lazySet(h);
    }
    return n;
  }

  /**
   * Operations that were accepted without passing through the queue (folded on their thread); the consumer's alone,
   * like {@link #accepted()}'s readers.
   */
  public void acceptedElsewhere(long count) {
    acceptedElsewhere += count;
  }

  /** Operations accepted so far (dropped ones not counted). */
  public long accepted() {
    return tail.get() + acceptedElsewhere;
  }

  public long dropped() {
    return dropped.get();
  }

  /** Operations waiting (claimed and not yet taken). */
  public int size() {
    return (int) Math.max(0, tail.get() - head.get());
  }
}
