package io.ipcscope.agent.capture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Busy streams folded on the application's own threads. Per stream (channel, thread, operation) and second, the first
 * {@code detail} transfers become operations of their own; the rest are only counted, on the thread that made them,
 * and the export thread turns the counts into one summary per stream and second (docs/AGENT.md, "Busy streams").
 *
 * <p>Why here and not on the export thread: measured on a pipe echo pinned to one CPU, an operation that leaves its
 * thread (allocated, published on the queue, taken by the export thread) cost 5–8 % of the echo's time, and one that
 * is only counted cost too little to tell from no agent (docs/PERFORMANCE.md). A folded transfer allocates nothing and
 * uses no atomic instruction: its stream belongs to its thread, which updates the counts between two ordered stores of
 * a sequence number; the export thread reads them as a seqlock reader does.
 */
public final class BusyStreams {

  /** The folding window: {@code detail} is transfers per stream and second. */
  public static final long WINDOW_NANOS = 1_000_000_000L;
  /** How many streams a thread keeps before it starts afresh (the ones it drops are summarised first). */
  static final int MAX_STREAMS_PER_THREAD = 64;
  /**
   * A stream's window closes this long after its end when its thread makes no further transfer on it; the export
   * thread's own folding waits as long, so that a thread's summary finds that folding's open one of its window.
   */
  public static final long LATE_NANOS = 100_000_000L;
  private static final int RECENT = 4;

  /** Receives what the export thread takes: the operations folded in one stream's window, as one summary. */
  public interface SummarySink {
    /** @param op the window's operation: summed bytes (-1 if none moved), first start, last end, the first parent */
    void summary(IpcOp op, long count);
  }

  private final int detail;
  private final long windowNanos;
  private final TraceContexts contexts;
  private final ThreadLocal<ThreadStreams> threads = ThreadLocal.withInitial(this::newThread);
  /** Streams made since the export thread last looked; it moves them to {@link #known}. */
  private final ConcurrentLinkedQueue<Stream> added = new ConcurrentLinkedQueue<>();
  /** The export thread's own list. */
  private final List<Stream> known = new ArrayList<>();
  /**
   * On only while the exporter takes summaries: until the export thread has one, and with a version 1 collector,
   * every transfer is sent by itself (and folded, if at all, by the export thread).
   */
  private volatile boolean folding;

  /**
   * @param detail transfers per stream and window sent by themselves ({@code Integer.MAX_VALUE}: all)
   * @param windowNanos the window, aligned on multiples of it as the export thread's own folding is
   */
  public BusyStreams(int detail, long windowNanos, TraceContexts contexts) {
    if (detail < 0 || windowNanos <= 0) {
      throw new IllegalArgumentException("detail " + detail + ", window " + windowNanos);
    }
    this.detail = detail;
    this.windowNanos = windowNanos;
    this.contexts = contexts;
  }

  /**
   * On the application's thread, for a transfer on {@code ref} that just ended: the operation to offer, or null when
   * it was folded into its stream's counts.
   */
  IpcOp admit(ChannelRef ref, String operation, long peerPid, long bytes, long startNanos, long endNanos) {
    ThreadStreams t = threads.get();
    Stream s = t.stream(ref, operation, peerPid);
    if (endNanos >= s.windowEnd) {
      s.startWindow(Math.floorDiv(endNanos, windowNanos), windowNanos);
    }
    if (s.singles < detail || !folding) {
      s.singles++;
      IpcOp.Parent parent = contexts.current();
      if (parent == null && ref.origin != null && ProcessReaper.isCurrent()) {
        parent = ref.origin; // the JDK draining an exited child's pipe, for whoever started the child
      }
      if (s.singles == 1) {
        s.windowParent = parent;
      }
      return new IpcOp(ref.mechanism, operation, ref.channel, bytes, peerPid, t.tid, startNanos, endNanos, parent,
          ref.attributes);
    }
    s.fold(bytes, startNanos, endNanos);
    return null;
  }

  /** Set by the export thread as its exporter takes summaries or not. */
  public void folding(boolean on) {
    folding = on;
  }

  /**
   * On the export thread: the summary of every window that ended (by {@link #LATE_NANOS}) or that a thread moved
   * past, or of every window whatever its end when {@code all}; streams whose thread ended or dropped them are
   * forgotten once summarised.
   */
  public void closeWindows(long nowNanos, boolean all, SummarySink sink) {
    for (Stream s; (s = added.poll()) != null; ) {
      known.add(s);
    }
    Snapshot snap = new Snapshot();
    for (Iterator<Stream> it = known.iterator(); it.hasNext(); ) {
      Stream s = it.next();
      // before the read: a thread seen ended (or done with the stream) has made its last fold, which the read then
      // sees; looked at after, it could have folded more between the two, and that would be forgotten with it
      boolean gone = s.dropped || !s.owner.isAlive();
      s.read(snap);
      if (snap.window != s.seenWindow) {
        // the thread moved to a later window: what it folded before that one began is the earlier windows'
        long start = snap.baseFirstStart != 0 ? snap.baseFirstStart
            : s.seenFirstStart != 0 ? s.seenFirstStart : snap.baseEnd;
        s.emit(snap.baseCount, snap.baseBytes, snap.baseMoved, start, snap.baseEnd, sink);
        s.seenWindow = snap.window;
      }
      s.seenFirstStart = snap.firstStart;
      if (all || gone || nowNanos - LATE_NANOS >= snap.windowEnd) {
        long start = snap.firstStart != 0 ? snap.firstStart : snap.lastEnd;
        s.emit(snap.count, snap.bytes, snap.moved, start, snap.lastEnd, sink);
      }
      if (gone && s.sentCount == snap.count) {
        it.remove();
      }
    }
  }

  private ThreadStreams newThread() {
    return new ThreadStreams(NativeThreads.current(), Thread.currentThread());
  }

  /** One thread's streams: the few it used last, then a map. Touched by that thread only. */
  private final class ThreadStreams {
    final int tid;
    final Thread thread;
    final Stream[] recent = new Stream[RECENT];
    int nextRecent;
    final Map<ChannelRef, List<Stream>> byChannel = new IdentityHashMap<>();
    int count;

    ThreadStreams(int tid, Thread thread) {
      this.tid = tid;
      this.thread = thread;
    }

    Stream stream(ChannelRef ref, String operation, long peerPid) {
      for (Stream s : recent) {
        if (s != null && s.ref == ref && s.operation == operation && s.peerPid == peerPid) {
          return s;
        }
      }
      Stream found = null;
      List<Stream> ofChannel = byChannel.get(ref);
      if (ofChannel != null) {
        for (Stream s : ofChannel) {
          if (s.operation.equals(operation) && s.peerPid == peerPid) {
            found = s;
          }
        }
      }
      if (found == null) {
        if (count >= MAX_STREAMS_PER_THREAD) {
          forgetAll();
        }
        found = new Stream(ref, operation, peerPid, tid, thread);
        byChannel.computeIfAbsent(ref, r -> new ArrayList<>(2)).add(found);
        count++;
        added.add(found);
      }
      recent[nextRecent] = found;
      nextRecent = (nextRecent + 1) % RECENT;
      return found;
    }

    /** A thread that went through many channels (closed ones among them): its streams go, summarised first. */
    private void forgetAll() {
      for (List<Stream> streams : byChannel.values()) {
        for (Stream s : streams) {
          s.dropped = true;
        }
      }
      byChannel.clear();
      Arrays.fill(recent, null);
      count = 0;
    }
  }

  /** What the export thread reads of a stream at once. */
  private static final class Snapshot {
    long window;
    long windowEnd;
    long count;
    long bytes;
    long moved;
    long firstStart;
    long lastEnd;
    long baseCount;
    long baseBytes;
    long baseMoved;
    long baseFirstStart;
    long baseEnd;
  }

  /**
   * One stream. Its thread writes the fields between two stores of {@link #seq} (odd while writing); the export
   * thread copies them and retries when {@code seq} moved meanwhile. Counts only grow; each window records where they
   * stood when it began, so that the export thread can tell one window's folds from the next one's.
   */
  static final class Stream {
    private static final VarHandle SEQ;

    static {
      try {
        SEQ = MethodHandles.lookup().findVarHandle(Stream.class, "seq", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final ChannelRef ref;
    final String operation;
    final long peerPid;
    final int tid;
    final Thread owner;

    // the thread's alone
    int singles;
    volatile IpcOp.Parent windowParent;

    // the thread's, read by the export thread under seq
    @SuppressWarnings("unused") // through SEQ
    private long seq;
    private long window = Long.MIN_VALUE;
    /** Where the window ends (exclusive); read unguarded by its thread too, the only one that writes it. */
    long windowEnd = Long.MIN_VALUE;
    private long count;
    private long bytes;
    /** Folded transfers that moved bytes (a read at the end of a stream moves none). */
    private long moved;
    private long firstStart;
    private long lastEnd;
    private long baseCount;
    private long baseBytes;
    private long baseMoved;
    private long baseFirstStart;
    private long baseEnd;
    /** Its thread dropped it: once summarised it is forgotten. */
    volatile boolean dropped;

    // the export thread's alone
    long seenWindow = Long.MIN_VALUE;
    long seenFirstStart;
    long sentCount;
    long sentBytes;
    long sentMoved;

    Stream(ChannelRef ref, String operation, long peerPid, int tid, Thread owner) {
      this.ref = ref;
      this.operation = operation;
      this.peerPid = peerPid;
      this.tid = tid;
      this.owner = owner;
    }

    void startWindow(long window, long windowNanos) {
      long s = (long) SEQ.getOpaque(this);
      SEQ.setOpaque(this, s + 1);
      VarHandle.storeStoreFence();
      this.window = window;
      this.windowEnd = window * windowNanos + windowNanos;
      this.singles = 0;
      this.baseCount = count;
      this.baseBytes = bytes;
      this.baseMoved = moved;
      this.baseFirstStart = firstStart;
      this.baseEnd = lastEnd;
      this.firstStart = 0;
      SEQ.setRelease(this, s + 2);
    }

    void fold(long transferred, long startNanos, long endNanos) {
      long s = (long) SEQ.getOpaque(this);
      SEQ.setOpaque(this, s + 1);
      VarHandle.storeStoreFence();
      if (count == baseCount) {
        firstStart = startNanos;
      }
      count++;
      if (transferred >= 0) {
        bytes += transferred;
        moved++;
      }
      lastEnd = endNanos;
      SEQ.setRelease(this, s + 2);
    }

    void read(Snapshot into) {
      while (true) {
        long before = (long) SEQ.getAcquire(this);
        if ((before & 1) == 0) {
          into.window = window;
          into.windowEnd = windowEnd;
          into.count = count;
          into.bytes = bytes;
          into.moved = moved;
          into.firstStart = firstStart;
          into.lastEnd = lastEnd;
          into.baseCount = baseCount;
          into.baseBytes = baseBytes;
          into.baseMoved = baseMoved;
          into.baseFirstStart = baseFirstStart;
          into.baseEnd = baseEnd;
          VarHandle.loadLoadFence();
          if ((long) SEQ.getOpaque(this) == before) {
            return;
          }
        }
        Thread.onSpinWait();
      }
    }

    /** The summary of what was folded since the last one, up to {@code upTo} operations. */
    void emit(long upTo, long bytesUpTo, long movedUpTo, long start, long end, SummarySink sink) {
      long n = upTo - sentCount;
      if (n <= 0) {
        return;
      }
      long b = movedUpTo > sentMoved ? bytesUpTo - sentBytes : -1;
      sink.summary(new IpcOp(ref.mechanism, operation, ref.channel, b, peerPid, tid, start, end, windowParent,
          ref.attributes), n);
      sentCount = upTo;
      sentBytes = bytesUpTo;
      sentMoved = movedUpTo;
    }
  }
}
