package io.ipcscope.agent.export;

import io.ipcscope.agent.capture.BusyStreams;
import io.ipcscope.agent.capture.IpcOp;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Bounds what a busy channel costs the export thread (docs/PERFORMANCE.md, "The Java agent"): per stream (channel,
 * thread, mechanism, operation), the first {@code detail} operations of each window go out one by one, and the rest
 * of the window is folded into one {@link OpSummary}: counted, bytes added, start and end widened. Nothing is lost:
 * every operation is either sent or in a summary, and summaries come out when their window is over by
 * {@link #LATE_NANOS} (for operations and threads' summaries still on their way), when the stream's window after
 * next starts, and at {@link #closeAll}.
 *
 * <p>Windows are aligned on the operations' clock ({@code System.nanoTime()}): an operation belongs to the window
 * its end falls in. A folded operation costs a look at the few streams seen last (their channel, operation and
 * mechanism compared by identity: the agent names a channel with one string), else one hash lookup with a reused
 * probe key, then a comparison with its window's end and a few additions; no allocation. A stream allocates its
 * entry when it starts a window after a quiet one, and one summary per window it folded in. Streams are forgotten
 * once their window is closed. On the export thread only: not thread-safe.
 */
final class StreamFolder {

  /** An operation may still arrive this long after its window ended (the queue's linger, a batch being written). */
  static final long LATE_NANOS = BusyStreams.LATE_NANOS;
  private static final int RECENT = 4;

  private final int detail;
  private final long windowNanos;
  private final Map<Key, Stream> streams = new HashMap<>();
  private final Key probe = new Key();
  /** The streams seen last, looked at before the map: a busy thread alternates between a few (a write, a read). */
  private final Stream[] recent = new Stream[RECENT];
  private int nextRecent;
  /** Windows before this one have been closed. */
  private long closedBefore = Long.MIN_VALUE;

  /**
   * @param detail operations per stream and window sent one by one (0: every operation is folded)
   * @param windowNanos the window's length
   */
  StreamFolder(int detail, long windowNanos) {
    if (detail < 0 || windowNanos <= 0) {
      throw new IllegalArgumentException("detail " + detail + ", window " + windowNanos);
    }
    this.detail = detail;
    this.windowNanos = windowNanos;
  }

  /**
   * Whether {@code op} goes out by itself; when not, it was folded into its stream's summary. A summary closed on the
   * way (this operation starts the stream's window after next) is added to {@code closed}.
   */
  boolean admit(IpcOp op, List<OpSummary> closed) {
    Stream s = windowOf(op, closed);
    if (s.sent < detail) {
      s.sent++;
      return true;
    }
    s.fold(op);
    return false;
  }

  /**
   * Takes a summary folded elsewhere (on the application's thread) into its stream's summary of that window, as if
   * its operations had been folded here: whichever of the two comes first, its stream and window get one summary,
   * which goes out when the window closes. A thread's summary may come after this folding has moved to the stream's
   * next window (its operations were on the queue first): the window before stays open for it until it is over by
   * {@link #LATE_NANOS}. One of a window closed already goes out by itself.
   */
  void absorb(IpcOp summary, long count, List<OpSummary> closed) {
    Stream s = windowOf(summary, closed);
    long window = Math.floorDiv(summary.endNanos, windowNanos);
    if (window >= s.window) {
      s.current.fold(summary, count);
    } else if (window == s.previousWindow) {
      s.previous.fold(summary, count);
    } else {
      closed.add(new OpSummary(summary, count));
    }
  }

  /**
   * The stream of {@code op}, in the window {@code op} ends in (or its current one, for an operation of an earlier
   * window): a summary closed on the way (this operation starts the stream's window after next) is added to
   * {@code closed}.
   */
  private Stream windowOf(IpcOp op, List<OpSummary> closed) {
    Stream s = recent(op);
    if (s == null) {
      s = streams.get(probe.of(op));
      if (s == null) {
        s = new Stream(op, Math.floorDiv(op.endNanos, windowNanos), windowNanos);
        streams.put(s, s);
      }
      recent[nextRecent] = s;
      nextRecent = (nextRecent + 1) % RECENT;
    }
    if (op.endNanos >= s.windowEnd) { // the stream's next window (an operation of an earlier one counts in this one)
      s.startWindow(Math.floorDiv(op.endNanos, windowNanos), windowNanos, closed);
    }
    return s;
  }

  /**
   * Closes every window that ended before {@code nowNanos} (by more than {@link #LATE_NANOS}): their summaries are
   * added to {@code closed} and their streams forgotten. Cheap when no window ended since the last call.
   */
  void closeWindows(long nowNanos, List<OpSummary> closed) {
    long current = Math.floorDiv(nowNanos - LATE_NANOS, windowNanos);
    if (current <= closedBefore) {
      return;
    }
    closedBefore = current;
    Arrays.fill(recent, null);
    for (Iterator<Stream> it = streams.values().iterator(); it.hasNext(); ) {
      Stream s = it.next();
      if (s.previousWindow < current) {
        s.closePrevious(closed);
      }
      if (s.window < current) {
        s.current.close(s, closed);
        it.remove();
      }
    }
  }

  /** Every open summary, whatever its window: at a flush and at exit. Streams start afresh. */
  void closeAll(List<OpSummary> closed) {
    for (Stream s : streams.values()) {
      s.closePrevious(closed);
      s.current.close(s, closed);
    }
    streams.clear();
    Arrays.fill(recent, null);
  }

  /** One of the streams seen last, if {@code op} is of it; null when not. */
  private Stream recent(IpcOp op) {
    for (Stream s : recent) {
      if (s != null && s.channel == op.channel && s.tid == op.tid && s.operation == op.operation
          && s.mechanism == op.mechanism) {
        return s;
      }
    }
    return null;
  }

  /** Streams known now (in an open window). */
  int streams() {
    return streams.size();
  }

  /** A stream's identity; as a probe, reset for each lookup. */
  private static class Key {
    String mechanism;
    String operation;
    String channel;
    int tid;
    int hash;

    Key of(IpcOp op) {
      mechanism = op.mechanism;
      operation = op.operation;
      channel = op.channel;
      tid = op.tid;
      hash = ((31 * tid + channel.hashCode()) * 31 + operation.hashCode()) * 31 + mechanism.hashCode();
      return this;
    }

    @Override
    public final int hashCode() {
      return hash;
    }

    @Override
    public final boolean equals(Object o) {
      if (!(o instanceof Key)) {
        return false;
      }
      Key k = (Key) o;
      return tid == k.tid && hash == k.hash && channel.equals(k.channel) && operation.equals(k.operation)
          && mechanism.equals(k.mechanism);
    }
  }

  /**
   * A stream in its current window: how many went out by themselves, and the summary of the rest; and the summary
   * of the window before, until that window is over by {@link #LATE_NANOS}.
   */
  private static final class Stream extends Key {
    long window;
    /** Where the window ends (exclusive): an operation that ends there or later starts the next. */
    long windowEnd;
    int sent;
    Summary current = new Summary();
    /** The window before, still open for summaries folded elsewhere; {@code Long.MIN_VALUE} when none is. */
    long previousWindow = Long.MIN_VALUE;
    Summary previous = new Summary();

    Stream(IpcOp op, long window, long windowNanos) {
      of(op);
      this.window = window;
      this.windowEnd = window * windowNanos + windowNanos;
    }

    /** Moves to a later window: the current summary stays open as the previous one, an older one closes. */
    void startWindow(long window, long windowNanos, List<OpSummary> closed) {
      closePrevious(closed);
      Summary emptied = previous;
      previous = current;
      previousWindow = this.window;
      current = emptied;
      this.window = window;
      this.windowEnd = window * windowNanos + windowNanos;
      this.sent = 0;
    }

    void closePrevious(List<OpSummary> closed) {
      previous.close(this, closed);
      previousWindow = Long.MIN_VALUE;
    }

    void fold(IpcOp op) {
      current.fold(op, 1);
    }
  }

  /** The operations of one stream and window folded so far. Reused: emptied as it closes. */
  private static final class Summary {
    long count;
    long bytes;
    boolean moved;
    long start;
    long end;
    long peerPid;
    IpcOp first;
    /** The attributes all folded operations share, as key, value pairs; null while they all have the first's. */
    String[] shared;

    /** {@code op} stands for {@code n} operations (a summary): its bytes are theirs. */
    void fold(IpcOp op, long n) {
      if (count == 0) {
        first = op;
        start = op.startNanos;
        end = op.endNanos;
        peerPid = op.peerPid;
        bytes = 0;
        moved = false;
        shared = null;
      } else {
        start = Math.min(start, op.startNanos);
        end = Math.max(end, op.endNanos);
        if (op.peerPid != peerPid) {
          peerPid = 0;
        }
        if (!op.sameAttributes(first)) {
          narrow(op);
        }
      }
      count += n;
      if (op.bytes >= 0) {
        bytes += op.bytes;
        moved = true;
      }
    }

    /** Keeps the attributes {@code op} has too, with the same value; allocates only when some are dropped. */
    private void narrow(IpcOp op) {
      String[] pairs = shared != null ? shared : pairs(first);
      int kept = 0;
      for (int i = 0; i < pairs.length; i += 2) {
        if (pairs[i + 1].equals(op.attribute(pairs[i]))) {
          kept += 2;
        }
      }
      if (kept == pairs.length) {
        shared = pairs;
        return;
      }
      String[] fewer = new String[kept];
      int j = 0;
      for (int i = 0; i < pairs.length; i += 2) {
        if (pairs[i + 1].equals(op.attribute(pairs[i]))) {
          fewer[j++] = pairs[i];
          fewer[j++] = pairs[i + 1];
        }
      }
      shared = fewer;
    }

    void close(Key stream, List<OpSummary> closed) {
      if (count == 0) {
        return;
      }
      String[] attributes = shared != null ? shared : pairs(first);
      closed.add(new OpSummary(new IpcOp(stream.mechanism, stream.operation, stream.channel, moved ? bytes : -1,
          peerPid, stream.tid, start, end, first.parent, attributes), count));
      count = 0;
      first = null;
      shared = null;
    }

    private static String[] pairs(IpcOp op) {
      String[] pairs = new String[2 * op.attributeCount()];
      for (int i = 0; i < op.attributeCount(); i++) {
        pairs[2 * i] = op.attributeKey(i);
        pairs[2 * i + 1] = op.attributeValue(i);
      }
      return pairs;
    }
  }
}
