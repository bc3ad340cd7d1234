package io.ipcscope.collector.otel;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Hands spans to an exporter from a thread of its own, in batches, so a slow or dead backend never stalls the ring
 * buffer's reader. Bounded: when the queue is full, new spans are dropped and counted, memory stays flat. A failed
 * export is counted as lost and the next attempt waits, doubling from 1 s up to 30 s, while the queue keeps (and
 * beyond its capacity drops) what comes in meanwhile.
 *
 * <p>Spans are handed over in bundles of {@link #HANDOFF} (or at {@link #flush()}, which the owner calls each time
 * its clock ticks): waking the export thread for every span cost more than making the span.
 */
public final class SpanExportQueue implements Consumer<SpanData>, AutoCloseable {

  private static final long FIRST_BACKOFF_MILLIS = 1_000;
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  private static final long EXPORT_TIMEOUT_SECONDS = 30;
  private static final long POLL_MILLIS = 50;
  static final int HANDOFF = 256;

  private final SpanExporter exporter;
  /** Bundles of spans from the owner's thread; the owner's own bundle fills in {@link #pending} first. */
  private final BlockingQueue<List<SpanData>> queue;
  private final int capacity;
  private final boolean waitWhenFull;
  private final java.util.concurrent.atomic.AtomicInteger queuedSpans = new java.util.concurrent.atomic.AtomicInteger();
  private List<SpanData> pending = new ArrayList<>(HANDOFF);
  private final int batchSize;
  private final long delayMillis;
  private final Thread worker;
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failedExports = new AtomicLong();
  private volatile boolean closing;
  /** Guards the counters' hand-over between the export thread and close(). */
  private final Object counting = new Object();
  private boolean abandoned;
  private int inFlight;
  private volatile long backoffUntilMillis;
  private volatile String lastError = "";

  /**
   * @param delayMillis how long a batch may wait to fill before it goes anyway
   */
  public SpanExportQueue(SpanExporter exporter, int capacity, int batchSize, long delayMillis) {
    this(exporter, capacity, batchSize, delayMillis, false);
  }

  /**
   * @param waitWhenFull wait for room instead of dropping: for a replay, which has all the time it needs and must
   *     export every span (live, waiting would stall the ring buffer's reader)
   */
  public SpanExportQueue(SpanExporter exporter, int capacity, int batchSize, long delayMillis, boolean waitWhenFull) {
    this.waitWhenFull = waitWhenFull;
    this.exporter = exporter;
    this.capacity = capacity;
    this.queue = new ArrayBlockingQueue<>(capacity / HANDOFF + 2);
    this.batchSize = batchSize;
    this.delayMillis = delayMillis;
    this.worker = new Thread(this::run, "ipcscope-span-export");
    this.worker.setDaemon(true);
    this.worker.setUncaughtExceptionHandler((thread, e) -> lastError = String.valueOf(e));
    this.worker.start();
  }

  /** Called from one thread only, the owner's. */
  @Override
  public void accept(SpanData span) {
    if (closing) {
      dropped.incrementAndGet();
      return;
    }
    pending.add(span);
    if (pending.size() >= HANDOFF) {
      flush();
    }
  }

  /** Hands the spans accepted so far to the export thread. Called from the owner's thread. */
  public void flush() {
    if (pending.isEmpty()) {
      return;
    }
    int n = pending.size();
    if (waitWhenFull) {
      try {
        queuedSpans.addAndGet(n); // before the hand-over: the export thread subtracts when it takes the bundle
        queue.put(pending);
        pending = new ArrayList<>(HANDOFF);
        return;
      } catch (InterruptedException e) {
        queuedSpans.addAndGet(-n);
        Thread.currentThread().interrupt();
      }
    }
    if (queuedSpans.get() + n > capacity || !queue.offer(pending)) {
      dropped.addAndGet(n);
      pending.clear();
      return;
    }
    queuedSpans.addAndGet(n);
    pending = new ArrayList<>(HANDOFF);
  }

  private void run() {
    List<SpanData> batch = new ArrayList<>(batchSize);
    long backoff = FIRST_BACKOFF_MILLIS;
    while (!closing || !queue.isEmpty()) {
      try {
        fill(batch);
      } catch (InterruptedException e) {
        continue; // nobody interrupts this thread; an export in progress must not be cut short
      }
      if (batch.isEmpty()) {
        continue;
      }
      if (export(batch)) {
        backoff = FIRST_BACKOFF_MILLIS;
      } else if (!closing) {
        backoffUntilMillis = System.currentTimeMillis() + backoff;
        sleepQuietly(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
      batch.clear();
    }
  }

  /** Fills a batch, waiting up to the delay for it to fill; when closing, takes what is there at once. */
  private void fill(List<SpanData> batch) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
    while (batch.size() < batchSize) {
      long left = Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
      List<SpanData> bundle = left > 0 && !closing ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
      if (bundle == null) {
        if (!closing && System.nanoTime() < deadline) {
          continue; // a short poll, so that close() is noticed without interrupting an export
        }
        return;
      }
      synchronized (counting) {
        if (abandoned) {
          dropped.addAndGet(bundle.size()); // taken after close() counted the queue: counted here instead
          continue;
        }
        queuedSpans.addAndGet(-bundle.size());
        inFlight += bundle.size();
      }
      batch.addAll(bundle);
    }
  }

  private boolean export(List<SpanData> batch) {
    synchronized (counting) {
      if (abandoned) {
        return true; // close() gave up waiting and counted these as dropped
      }
    }
    CompletableResultCode result;
    try {
      result = exporter.export(List.copyOf(batch));
      result.join(EXPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Throwable e) { // an exporter's client may throw anything, even checked exceptions it did not declare
      lastError = String.valueOf(e.getMessage());
      result = CompletableResultCode.ofFailure();
    }
    synchronized (counting) {
      if (abandoned) {
        return true;
      }
      inFlight = 0;
      if (result.isSuccess()) {
        exported.addAndGet(batch.size());
        return true;
      }
      failed.addAndGet(batch.size());
    }
    failedExports.incrementAndGet();
    Throwable why = result.getFailureThrowable();
    if (why != null) {
      lastError = String.valueOf(why.getMessage());
    }
    return false;
  }

  /** Waits out a backoff, but not past close(). */
  private void sleepQuietly(long millis) {
    long until = System.currentTimeMillis() + millis;
    while (!closing && System.currentTimeMillis() < until) {
      try {
        Thread.sleep(Math.min(POLL_MILLIS, millis));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Exports what is queued, waiting at most {@code timeoutMillis}, then shuts the exporter down. What could not go
   * out in time (still queued, or in an export that has not answered) is counted as dropped, so that at the end
   * every span made is exported, failed or dropped, once.
   */
  public void close(long timeoutMillis) {
    flush();
    closing = true;
    try {
      worker.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (counting) {
      abandoned = true; // an export still running counts no more: its spans are counted here
      List<List<SpanData>> left = new ArrayList<>();
      queue.drainTo(left);
      for (List<SpanData> bundle : left) {
        dropped.addAndGet(bundle.size());
      }
      dropped.addAndGet(inFlight);
      inFlight = 0;
      queuedSpans.set(0);
    }
    exporter.shutdown().join(500, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    close(5_000);
  }

  public long exported() {
    return exported.get();
  }

  /** Spans an export of which failed (backend down, refused, timed out). */
  public long failed() {
    return failed.get();
  }

  /** Spans never handed to the exporter: the queue was full, or still held some at close. */
  public long dropped() {
    return dropped.get();
  }

  public int queued() {
    return queuedSpans.get() + pending.size();
  }

  public long failedExports() {
    return failedExports.get();
  }

  /** The last export failure's message, empty when none. */
  public String lastError() {
    return lastError;
  }

  /** True while waiting before the next attempt after a failed export. */
  public boolean backingOff() {
    return System.currentTimeMillis() < backoffUntilMillis;
  }
}
