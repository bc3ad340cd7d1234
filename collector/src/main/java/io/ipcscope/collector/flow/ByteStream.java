package io.ipcscope.collector.flow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One direction of a FIFO byte stream (a pipe, a FIFO, one direction of a stream socket or a TCP flow). Bytes leave
 * in the order they came in, so the cumulative count of bytes written before a write and read before a read say
 * exactly which writes every read took: a read of bytes [r, r+n) took every write whose [w, w+m) overlaps it.
 *
 * <p>Records reach the tracer out of order across CPUs (a reader woken by a write may finish, and be recorded, before
 * the writer's own record), so offsets are assigned on arrival and a read is only paired once the writes up to its
 * end have arrived, or it gave up waiting.
 */
final class ByteStream {

  /** A write's bytes in the stream: [start, end). */
  record Segment(CausalOrder.Node producer, long start, long end) {}

  /** Far more writes than any pipe or socket buffer holds unread. */
  static final int MAX_SEGMENTS = 4096;

  /** True when the stream was seen from its creation, so both offsets began at zero together. */
  boolean anchored;
  private long written;
  private long lastUsedNanos;
  /** Bytes reads took that no write on record accounts for, and the latest such read's time: see write(). */
  private long gapBytes;
  private long gapBeforeNanos;
  private long readReserved;
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  /** Reads assigned offsets but not yet paired, in offset order. */
  private final ArrayDeque<CausalOrder.Node> pendingReads = new ArrayDeque<>();

  ByteStream(boolean anchored) {
    this.anchored = anchored;
  }

  void write(CausalOrder.Node producer, long bytes) {
    lastUsedNanos = producer.event().tsNanos();
    if (gapBytes > 0 && producer.event().tsNanos() <= gapBeforeNanos) {
      // a write that returned before a read which gave up waiting for it: late, not lost. Its bytes are the gap
      // that read left, already counted as read; only what exceeds the gap is new.
      long filled = Math.min(bytes, gapBytes);
      gapBytes -= filled;
      bytes -= filled;
      if (bytes == 0) {
        return;
      }
    }
    if (segments.size() >= MAX_SEGMENTS) {
      segments.poll(); // reads of this stream are not reaching us; its oldest bytes will count as not observed
    }
    segments.add(new Segment(producer, written, written + bytes));
    written += bytes;
  }

  /** Gives a read its offsets: the next {@code bytes} after everything read before it. */
  void reserveRead(CausalOrder.Node consumer, long bytes) {
    lastUsedNanos = consumer.event().tsNanos();
    consumer.readStart = readReserved;
    // what the reader found: every byte written and not yet read when it came (at least what it took, whose
    // write's record may still be on its way)
    consumer.foundBytes = Math.max(written - readReserved, bytes);
    readReserved += bytes;
    consumer.readEnd = readReserved;
    pendingReads.add(consumer);
  }

  /** Whether every byte the read took has a write on record. */
  boolean covers(CausalOrder.Node consumer) {
    return written >= consumer.readEnd;
  }

  /** The writes whose bytes overlap the read's range, in stream order. */
  List<Segment> overlapping(CausalOrder.Node consumer) {
    List<Segment> found = new ArrayList<>();
    for (Segment s : segments) {
      if (s.start() >= consumer.readEnd) {
        break;
      }
      if (s.end() > consumer.readStart) {
        found.add(s);
      }
    }
    return found;
  }

  /**
   * The read is paired: forget it, and forget writes no pending read can still need. A read that gave up waiting
   * for writes that never came (lost, or made before tracing) moves the write offset up to its end: the missing
   * writes are taken to have filled exactly that gap, so later writes keep pairing with later reads.
   */
  void paired(CausalOrder.Node consumer) {
    pendingReads.removeFirstOccurrence(consumer);
    if (written < consumer.readEnd) {
      gapBytes += consumer.readEnd - written;
      gapBeforeNanos = Math.max(gapBeforeNanos, consumer.event().tsNanos());
      written = consumer.readEnd;
    }
    long stillNeeded = pendingReads.isEmpty() ? consumer.readEnd : pendingReads.peek().readStart;
    while (!segments.isEmpty() && segments.peek().end() <= stillNeeded) {
      segments.poll();
    }
  }

  /** Bytes written and not yet read, as far as the records tell: the stream's fill level. */
  long unread() {
    return Math.max(0, written - readReserved);
  }

  boolean idle() {
    return pendingReads.isEmpty() && segments.isEmpty();
  }

  /** No read waits on it, and nothing was written to or read from it since {@code nanos}. */
  boolean quietSince(long nanos) {
    return pendingReads.isEmpty() && lastUsedNanos < nanos;
  }
}
