package io.ipcscope.demo;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces a sender: {@link #next()} waits for the next record's slot and says whether there is one.
 * Slots are spaced 1/rate apart from the first one (no drift); the sender stops after
 * {@code messages} records or, in continuous mode, at the wall-clock deadline shared by every
 * process of the workload.
 */
public final class Pacer {

  private final long messages;
  private final double rate;
  private final long deadlineEpochMillis;
  private long startNanos;
  private long count;

  /** @param deadlineEpochMillis 0 for "send {@code messages} records", else when to stop */
  public Pacer(long messages, double rate, long deadlineEpochMillis) {
    this.messages = messages;
    this.rate = rate;
    this.deadlineEpochMillis = deadlineEpochMillis;
  }

  public boolean next() throws InterruptedException {
    if (deadlineEpochMillis > 0 ? System.currentTimeMillis() >= deadlineEpochMillis : count >= messages) {
      return false;
    }
    if (count == 0) {
      startNanos = System.nanoTime();
    } else if (rate > 0) {
      long due = startNanos + (long) (count * 1e9 / rate);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        if (deadlineEpochMillis > 0 && System.currentTimeMillis() + wait / 1_000_000 >= deadlineEpochMillis) {
          return false;
        }
        LockSupport.parkNanos(wait);
        if (Thread.interrupted()) {
          throw new InterruptedException("pacing record " + (count + 1));
        }
      }
    }
    count++;
    return true;
  }

  /** Records granted so far. */
  public long count() {
    return count;
  }
}
