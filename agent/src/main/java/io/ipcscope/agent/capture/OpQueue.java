package io.ipcscope.agent.capture;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Operations on their way from the application's threads to the agent's export thread. Bounded: when the exporter
 * falls behind, new operations are dropped and counted, and the application never waits.
 */
public final class OpQueue {

  private final ArrayBlockingQueue<IpcOp> queue;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  public OpQueue(int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Never blocks. */
  public void offer(IpcOp op) {
    if (queue.offer(op)) {
      accepted.incrementAndGet();
    } else {
      dropped.incrementAndGet();
    }
  }

  /** Waits up to {@code timeoutMillis} for a first operation, then takes whatever else is there, up to {@code max}. */
  public int drainTo(List<IpcOp> batch, int max, long timeoutMillis) throws InterruptedException {
    IpcOp first = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    if (first == null) {
      return 0;
    }
    batch.add(first);
    return 1 + queue.drainTo(batch, max - 1);
  }

  public long accepted() {
    return accepted.get();
  }

  public long dropped() {
    return dropped.get();
  }

  public int size() {
    return queue.size();
  }
}
