package io.ipcscope.collector.talk;

import io.ipcscope.collector.flow.CausalEvent;
import io.ipcscope.collector.flow.Cause;
import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
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
   * Each operation is copied into a slot that is made once and reused, as numbers and strings that live on anyway
   * (process names from the process table, the trace id of the span context), never as a reference to the operation:
   * every operation passes here, on the collector's hot path, and a ring of 4096 references to the operations kept
   * them, their resolved events and their causes alive through each young collection (1.1 MB more survivors, more
   * than the survivor space takes with the launcher's -Xmn16m), so the JVM promoted every survivor at its first
   * collection and young pauses tripled (docs/PERFORMANCE.md, bench collector). A reader asks for at most a few
   * thousand a second; RecentEvents are made then.
   */
  private final Slot[] ring = new Slot[CAPACITY];
  private long seq;

  /** One operation, flattened: what a {@link RecentEvent} holds, without the objects it is made of. */
  private static final class Slot {
    long tsNanos;
    int pid;
    long startTicks;
    String comm;
    int tid;
    Mechanism mechanism;
    Operation op;
    Role role;
    /** The channel's mechanism; null for no channel. */
    Mechanism channelMechanism;
    int channelDev;
    long channelInode;
    long channelPeer;
    long bytes;
    boolean hasSource;
    int sourcePid;
    long sourceStartTicks;
    int peerPid;
    String peerComm;
    long latencyNanos;
    int signal;
    int result;
    /** The span context's own string, which the operations of one conversation share: no copy per operation. */
    String traceId;
  }

  /** Keeps one operation; {@code traceId} is its span's trace, or empty. */
  public void add(CausalEvent c, String traceId) {
    int index = (int) (seq++ % CAPACITY);
    Slot s = ring[index];
    if (s == null) {
      s = ring[index] = new Slot();
    }
    ResolvedEvent r = c.resolved();
    IpcEvent e = r.event();
    s.tsNanos = e.tsNanos();
    s.pid = e.pid();
    s.startTicks = e.startNanos() / ProcessKey.NANOS_PER_TICK;
    s.comm = r.comm();
    s.tid = e.tid();
    s.mechanism = e.mechanism();
    s.op = e.op();
    s.role = c.role();
    ChannelKey channel = r.channel();
    s.channelMechanism = channel == null ? null : channel.mechanism();
    if (channel != null) {
      s.channelDev = channel.dev();
      s.channelInode = channel.inode();
      s.channelPeer = channel.peer();
    }
    s.hasSource = false;
    s.latencyNanos = -1;
    if (c.role() == Role.CONSUMER) {
      s.hasSource = true;
      if (c.causes().isEmpty()) {
        s.sourcePid = r.peerPid(); // not observed: the peer the collector named, if any
        s.sourceStartTicks = 0;
      } else {
        IpcEvent first = c.causes().get(0).producer();
        s.sourcePid = first.pid();
        s.sourceStartTicks = first.pid() == 0 ? 0 : first.startNanos() / ProcessKey.NANOS_PER_TICK;
        s.latencyNanos = Math.max(0, e.tsNanos() - first.tsNanos());
      }
    }
    s.bytes = c.role() == Role.CONSUMER ? consumed(c) : Math.max(0, e.bytes());
    s.peerPid = r.peerPid();
    s.peerComm = r.peerComm();
    s.signal = e.mechanism() == Mechanism.SIGNAL ? e.aux() : 0;
    s.result = e.result();
    s.traceId = traceId;
  }

  private static RecentEvent recent(long seq, Slot s) {
    ChannelKey channel = s.channelMechanism == null ? null
        : new ChannelKey(s.channelMechanism, s.channelDev, s.channelInode, s.channelPeer);
    ProcessKey source = s.hasSource ? new ProcessKey(s.sourcePid, s.sourceStartTicks) : null;
    return new RecentEvent(seq, s.tsNanos, new ProcessKey(s.pid, s.startTicks), s.comm, s.tid, s.mechanism, s.op,
        s.role, channel, s.bytes, source, s.peerPid, s.peerComm, s.latencyNanos, s.signal, s.result, s.traceId);
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
      out.add(recent(s, ring[slot]));
    }
    return out;
  }
}
