package io.ipcscope.collector.talk;

import io.ipcscope.collector.flow.CausalEvent;
import io.ipcscope.collector.flow.Cause;
import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #CAPACITY} operations, in the order the collector handed them on (causal order), for the
 * dashboard's Events view and detail pane. Numbered, so a reader that polls takes only what is new and knows how
 * many it missed.
 *
 * <p>Not thread-safe: the collector's thread owns it; readers get copies from {@link #after}.
 */
public final class EventTail {

  /** About two seconds of {@code demo all} flat out; a dashboard polls twice a second. */
  public static final int CAPACITY = 4096;

  /*
   * The operations are kept as the collector handed them on and made into RecentEvents only when read: a reader
   * asks for at most a few thousand a second, while every operation passes here, on the collector's hot path.
   */
  private final CausalEvent[] ring = new CausalEvent[CAPACITY];
  private final String[] traceIds = new String[CAPACITY];
  private long seq;

  /** Keeps one operation; {@code traceId} is its span's trace, or empty. */
  public void add(CausalEvent c, String traceId) {
    int slot = (int) (seq++ % CAPACITY);
    ring[slot] = c;
    traceIds[slot] = traceId;
  }

  private static RecentEvent recent(long seq, CausalEvent c, String traceId) {
    ResolvedEvent r = c.resolved();
    IpcEvent e = r.event();
    ProcessKey source = null;
    long latency = -1;
    if (c.role() == Role.CONSUMER) {
      if (c.causes().isEmpty()) {
        source = new ProcessKey(r.peerPid(), 0); // not observed: the peer the collector named, if any
      } else {
        IpcEvent first = c.causes().get(0).producer();
        source = first.pid() == 0 ? new ProcessKey(0, 0) : ProcessKey.fromKernel(first.pid(), first.startNanos());
        latency = Math.max(0, e.tsNanos() - first.tsNanos());
      }
    }
    long bytes = c.role() == Role.CONSUMER ? consumed(c) : Math.max(0, e.bytes());
    return new RecentEvent(seq, e.tsNanos(), ProcessKey.fromKernel(e.pid(), e.startNanos()), r.comm(), e.tid(),
        e.mechanism(), e.op(), c.role(), r.channel(), bytes, source, r.peerPid(), r.peerComm(), latency,
        e.mechanism() == Mechanism.SIGNAL ? e.aux() : 0, e.result(), traceId);
  }

  private static long consumed(CausalEvent c) {
    long sum = c.unobservedBytes();
    for (Cause cause : c.causes()) {
      sum += cause.bytes();
    }
    return sum;
  }

  /** The number of the last operation kept; 0 before the first. */
  public long lastSeq() {
    return seq;
  }

  /** The operations numbered after {@code seq} that are still kept, oldest first. */
  public List<RecentEvent> after(long seq) {
    long from = Math.max(Math.max(seq, 0), this.seq - CAPACITY) + 1;
    List<RecentEvent> out = new ArrayList<>((int) Math.max(0, this.seq - from + 1));
    for (long s = from; s <= this.seq; s++) {
      int slot = (int) ((s - 1) % CAPACITY);
      out.add(recent(s, ring[slot], traceIds[slot]));
    }
    return out;
  }
}
