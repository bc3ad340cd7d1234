package io.ipcscope.collector.flow;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Pairs every consumer with the producers of what it took, and hands events on in causal order: a producer before
 * its consumers, each thread's events in the order the thread made them.
 *
 * <p>Arrival order is not causal order: the ring buffer orders records by when each syscall returned, and a reader
 * woken by a write may return, on another CPU, before the writer does. So every thread keeps its own queue; the
 * thread at the head of which is a consumer whose producers have not arrived waits (other threads go on) until they
 * arrive or {@code holdNanos} passes, after which what is missing is reported as not observed.
 *
 * <ul>
 *   <li>Byte streams (pipes, FIFOs, stream sockets, TCP) pair reads with writes by cumulative offset
 *       ({@link ByteStream}).
 *   <li>Messages (queues, datagrams, passed descriptors) come paired from the peer joiner, which matched each
 *       receive with the send of that very message.
 *   <li>Signals pair a delivery with the oldest send or generation of that signal to that process that the kernel
 *       queued (a standard signal sent while one is pending is merged into it and has no delivery of its own).
 * </ul>
 *
 * Not thread-safe: one consumer thread owns it.
 */
public final class CausalOrder {

  /** A signal send whose delivery has not been seen yet is forgotten after this many newer ones to the same target. */
  private static final int MAX_QUEUED_SIGNALS = 64;
  /** A sent message nobody took is forgotten after this long: its receive, if it ever comes, is then unpaired. */
  private static final long UNRECEIVED_MESSAGE_NANOS = 60_000_000_000L;
  /** Beyond this many streams, those with nothing in flight are forgotten (their next use counts as unanchored). */
  static final int MAX_STREAMS = 65_536;
  /** Sent messages not yet received that are remembered, at most. */
  private static final int MAX_UNRECEIVED = 262_144;
  private static final long STREAM_SWEEP_NANOS = 10_000_000_000L;
  private long lastStreamSweep;
  /** signal_status values whose signal was queued to its target (ipcscope.h): delivered, lose_info, blocked. */
  private static final int SIGNAL_QUEUED = 0;
  private static final int SIGNAL_LOSE_INFO = 4;
  private static final int SIGNAL_BLOCKED = 5;

  /** One event on its way through. Package-private for {@link ByteStream}. */
  static final class Node {
    final ResolvedEvent resolved;
    final Role role;
    final Role.Kind kind;
    final long arrivalNanos;
    ByteStream stream;
    long readStart;
    long readEnd;
    /** A read's fill level when it came: the bytes in the stream before it took its own. */
    long foundBytes;
    /** A message consumer's producer, as paired by the peer joiner; null when none was paired. */
    IpcEvent matched;
    /** A signal delivery's key, to find its generation. */
    SignalKey signal;
    boolean done;
    boolean gaveUp;
    boolean visiting;
    /** Bytes of this producer not yet taken by a consumer (streams). */
    long remaining;

    Node(ResolvedEvent resolved, long arrivalNanos) {
      this.resolved = resolved;
      this.role = Role.of(resolved.event());
      this.kind = Role.kind(resolved.event());
      this.arrivalNanos = arrivalNanos;
    }

    IpcEvent event() {
      return resolved.event();
    }
  }

  record SignalKey(int target, int signal) {}

  private final long holdNanos;
  private final Consumer<CausalEvent> downstream;
  private final Map<Integer, ArrayDeque<Node>> threads = new HashMap<>();
  /** Every node not yet handed on, oldest first (done ones are skipped lazily). */
  private final ArrayDeque<Node> arrivals = new ArrayDeque<>();
  private final Map<ChannelKey, ByteStream> streams = new HashMap<>();
  /** Producers that arrived and are not yet fully consumed, by their event (messages: until their receive). */
  private final Map<IpcEvent, Node> producers = new IdentityHashMap<>();
  /** The same message producers in arrival order, to forget the ones nobody took. */
  private final ArrayDeque<Node> unreceived = new ArrayDeque<>();
  private final Map<SignalKey, ArrayDeque<Node>> queuedSignals = new HashMap<>();
  /** Per queue or datagram socket: bytes of the messages sent and not yet received, as handed on (its depth). */
  private final Map<ChannelKey, long[]> queuedMessageBytes = new HashMap<>();
  /** Threads whose head had to wait: the only ones worth retrying when something new arrives. */
  private final Set<Integer> blocked = new LinkedHashSet<>();
  /** The latest time seen (events and flushes): when a node arrived here, whatever its kernel timestamp says. */
  private long clock;
  private long unobservedBytes;
  private long consumersWithoutProducer;

  public CausalOrder(long holdNanos, Consumer<CausalEvent> downstream) {
    this.holdNanos = holdNanos;
    this.downstream = downstream;
  }

  public void accept(ResolvedEvent r) {
    IpcEvent e = r.event();
    clock = Math.max(clock, e.tsNanos());
    Node node = new Node(r, clock);
    register(node);
    arrivals.add(node);
    ArrayDeque<Node> queue = threads.get(e.tid());
    // Most events go on at once: their thread has nothing waiting, so no queue is made for them (one per event
    // was most of this class's allocation).
    if (queue == null && process(node, false)) {
      if (node.role == Role.PRODUCER && !blocked.isEmpty()) {
        retryBlocked();
      }
      return;
    }
    if (queue == null) {
      queue = new ArrayDeque<>();
      threads.put(e.tid(), queue);
    }
    queue.add(node);
    blocked.add(e.tid());
  }

  /** Hands on what has waited {@code holdNanos} for producers that never came (monotonic {@code nowNanos}). */
  public void flush(long nowNanos) {
    clock = Math.max(clock, nowNanos);
    for (Node oldest = oldestPending(); oldest != null && nowNanos - oldest.arrivalNanos >= holdNanos;
        oldest = oldestPending()) {
      oldest.gaveUp = true;
      process(oldest, true);
      retryBlocked();
    }
    // received messages leave the list here; unreceived ones after a minute, or when too many wait
    while (!unreceived.isEmpty() && (!producers.containsKey(unreceived.peek().event())
        || nowNanos - unreceived.peek().arrivalNanos > UNRECEIVED_MESSAGE_NANOS
        || unreceived.size() > MAX_UNRECEIVED)) {
      producers.remove(unreceived.poll().event());
    }
    if (streams.size() > MAX_STREAMS || nowNanos - lastStreamSweep > STREAM_SWEEP_NANOS) {
      lastStreamSweep = nowNanos;
      // a stream left with unread bytes (its reader gone, the rest discarded at close) is kept a minute, no more
      streams.values().removeIf(s -> s.idle() || s.quietSince(nowNanos - UNRECEIVED_MESSAGE_NANOS));
    }
  }

  /** End of the stream: hands everything on, paired with whatever producers arrived. */
  public void drain() {
    for (Node oldest = oldestPending(); oldest != null; oldest = oldestPending()) {
      oldest.gaveUp = true;
      process(oldest, true);
    }
    threads.clear();
    blocked.clear();
  }

  public int pending() {
    int n = 0;
    for (ArrayDeque<Node> q : threads.values()) {
      n += q.size();
    }
    return n;
  }

  /** Bytes consumers took whose producers were never observed, since the start. */
  public long unobservedBytes() {
    return unobservedBytes;
  }

  public long consumersWithoutProducer() {
    return consumersWithoutProducer;
  }

  private Node oldestPending() {
    while (!arrivals.isEmpty() && arrivals.peek().done) {
      arrivals.poll();
    }
    return arrivals.peek();
  }

  /** Learns what the event tells about streams and producers the moment it arrives, before its turn comes. */
  private void register(Node node) {
    IpcEvent e = node.event();
    anchorNewStreams(node.resolved);
    if (node.role == Role.NONE || node.resolved.channel() == null && node.kind != Role.Kind.SIGNAL) {
      return;
    }
    switch (node.kind) {
      case STREAM -> {
        ByteStream stream = streams.computeIfAbsent(node.resolved.channel(), k -> new ByteStream(false));
        node.stream = stream;
        if (node.role == Role.PRODUCER) {
          node.remaining = e.bytes();
          stream.write(node, e.bytes());
        } else {
          stream.reserveRead(node, e.bytes());
        }
      }
      case MESSAGE -> {
        if (node.role == Role.PRODUCER) {
          producers.put(e, node);
          unreceived.add(node);
        } else {
          node.matched = node.resolved.matched();
        }
      }
      case SIGNAL -> {
        if (node.role == Role.PRODUCER) {
          int status = e.status();
          if (status == SIGNAL_QUEUED || status == SIGNAL_LOSE_INFO || status == SIGNAL_BLOCKED) {
            ArrayDeque<Node> queued = queuedSignals.computeIfAbsent(new SignalKey(e.peerPid(), e.aux()),
                k -> new ArrayDeque<>());
            queued.add(node);
            if (queued.size() > MAX_QUEUED_SIGNALS) {
              queued.poll(); // its target died in a way we missed, or blocks it for good
            }
          }
        } else {
          node.signal = new SignalKey(e.pid(), e.aux());
        }
      }
      default -> { }
    }
  }

  /**
   * A channel made while tracing starts empty on both sides, so its offsets are exact: a pipe, a FIFO opened, a
   * Unix socket created, connected or accepted, a TCP connection made or taken.
   */
  private void anchorNewStreams(ResolvedEvent r) {
    IpcEvent e = r.event();
    if (e.failed()) {
      return;
    }
    switch (e.mechanism()) {
      case PIPE -> {
        if (e.op() == Operation.CREATE && r.channel() != null) {
          streams.put(r.channel(), new ByteStream(true));
        }
      }
      case FIFO -> {
        if (e.op() == Operation.OPEN && r.channel() != null) {
          streams.putIfAbsent(r.channel(), new ByteStream(true));
        }
      }
      case UNIX_SOCKET -> {
        if (e.op() == Operation.CREATE || e.op() == Operation.CONNECT || e.op() == Operation.ACCEPT) {
          for (long inode : new long[] {e.channelId(), e.extra()}) {
            if (inode != 0) {
              anchor(ChannelKey.unixSocket(inode));
            }
          }
        }
      }
      case TCP -> {
        if (e.op() == Operation.CONNECT || e.op() == Operation.ACCEPT) {
          anchor(ChannelKey.inetFlow(Mechanism.TCP, e.channelId(), e.extra()));
          anchor(ChannelKey.inetFlow(Mechanism.TCP, e.extra(), e.channelId()));
        }
      }
      default -> { }
    }
  }

  /**
   * A connection's direction starts empty. A client often writes before the server's accept returns, so the
   * direction may already hold that write: it is kept. Only what an earlier connection left (nothing in flight) is
   * replaced.
   */
  private void anchor(ChannelKey direction) {
    ByteStream old = streams.get(direction);
    if (old == null || old.idle()) {
      streams.put(direction, new ByteStream(true));
    } else {
      old.anchored = true;
    }
  }

  /** Hands on the heads of the threads that had to wait, until none of them can go. */
  private void retryBlocked() {
    boolean progress = true;
    while (progress && !blocked.isEmpty()) {
      progress = false;
      for (Iterator<Integer> it = blocked.iterator(); it.hasNext(); ) {
        int tid = it.next();
        ArrayDeque<Node> queue = threads.get(tid);
        while (queue != null && !queue.isEmpty() && process(queue.peek(), false)) {
          progress = true;
        }
        if (queue == null || queue.isEmpty()) {
          threads.remove(tid);
          it.remove();
        }
      }
    }
  }

  /**
   * Hands {@code node} on if it can go: after every earlier event of its thread, and (for a consumer) after its
   * producers. {@code force} hands it on regardless, its missing producers then counted as not observed. Returns
   * whether it was handed on.
   */
  boolean process(Node node, boolean force) {
    if (node.done) {
      return true;
    }
    if (node.visiting) {
      return false; // a cycle through mismatched records; broken when the oldest of them times out
    }
    node.visiting = true;
    try {
      ArrayDeque<Node> queue = threads.get(node.event().tid());
      while (queue != null && queue.peek() != node && !queue.isEmpty()) {
        Node earlier = queue.peek();
        if (!process(earlier, force)) {
          return false;
        }
      }
      if (node.role == Role.CONSUMER && !(ready(node) || force || node.gaveUp)) {
        return false;
      }
      List<Cause> causes = new ArrayList<>();
      long unobserved = node.role == Role.CONSUMER ? pairProducers(node, causes, force || node.gaveUp) : -1;
      if (unobserved == Long.MIN_VALUE) {
        return false; // a producer must go first and cannot yet
      }
      emit(node, causes, Math.max(0, unobserved));
      if (queue != null) {
        queue.poll();
      }
      return true;
    } finally {
      node.visiting = false;
    }
  }

  private boolean ready(Node consumer) {
    return switch (consumer.kind) {
      case STREAM -> consumer.stream == null || consumer.stream.covers(consumer);
      case MESSAGE -> consumer.matched == null || producers.containsKey(consumer.matched);
      case SIGNAL -> {
        ArrayDeque<Node> queued = queuedSignals.get(consumer.signal);
        yield queued != null && !queued.isEmpty();
      }
      case NONE -> true;
    };
  }

  /**
   * Finds the consumer's producers and hands them on first. Returns the bytes whose producer was not observed, or
   * {@code Long.MIN_VALUE} when a producer cannot go yet (and {@code force} is false).
   */
  private long pairProducers(Node consumer, List<Cause> causes, boolean force) {
    IpcEvent e = consumer.event();
    switch (consumer.kind) {
      case STREAM -> {
        if (consumer.stream == null) {
          return e.bytes();
        }
        long covered = 0;
        for (ByteStream.Segment s : consumer.stream.overlapping(consumer)) {
          if (!process(s.producer(), force)) {
            if (!force) {
              return Long.MIN_VALUE;
            }
            continue;
          }
          long taken = Math.min(s.end(), consumer.readEnd) - Math.max(s.start(), consumer.readStart);
          Node producer = s.producer();
          producer.remaining -= taken;
          boolean last = producer.remaining <= 0;
          causes.add(new Cause(producer.event(), taken, last));
          covered += taken;
        }
        consumer.stream.paired(consumer);
        return e.bytes() - covered;
      }
      case MESSAGE -> {
        Node producer = consumer.matched == null ? null : producers.get(consumer.matched);
        if (producer != null && process(producer, force)) {
          producers.remove(consumer.matched);
          causes.add(new Cause(producer.event(), producer.event().bytes(), true));
          return 0;
        }
        if (producer != null && !force) {
          return Long.MIN_VALUE;
        }
        return e.bytes();
      }
      case SIGNAL -> {
        ArrayDeque<Node> queued = queuedSignals.get(consumer.signal);
        Node producer = queued == null ? null : queued.peek();
        if (producer != null && process(producer, force)) {
          queued.poll();
          if (queued.isEmpty()) {
            queuedSignals.remove(consumer.signal);
          }
          causes.add(new Cause(producer.event(), 0, true));
          return 0;
        }
        return producer != null && !force ? Long.MIN_VALUE : 0;
      }
      default -> {
        return 0;
      }
    }
  }

  /**
   * A queue's depth in bytes: after a send, what is queued with it; for a receive, what it found queued (its own
   * message included), before taking its message out.
   */
  private long messageBacklog(Node node, List<Cause> causes) {
    ChannelKey channel = node.resolved.channel();
    if (channel == null || node.event().op() == Operation.FD_SEND || node.event().op() == Operation.FD_RECEIVE) {
      return 0;
    }
    if (queuedMessageBytes.size() > MAX_STREAMS) {
      queuedMessageBytes.clear(); // depths start over rather than grow without end
    }
    long[] queued = queuedMessageBytes.computeIfAbsent(channel, k -> new long[1]);
    if (node.role == Role.PRODUCER) {
      queued[0] += node.event().bytes();
      return queued[0];
    }
    long found = queued[0];
    for (Cause cause : causes) {
      queued[0] = Math.max(0, queued[0] - cause.bytes());
    }
    return found;
  }

  private void emit(Node node, List<Cause> causes, long unobserved) {
    node.done = true;
    IpcEvent e = node.event();
    if (e.op() == Operation.EXIT && e.mechanism() == Mechanism.PROCESS) {
      // sends to a process that is gone will never be taken; not before its exit's turn, though: a delivery ahead of
      // it in its thread may still wait for its send (which waits behind something of its own thread)
      queuedSignals.keySet().removeIf(k -> k.target() == e.pid());
    }
    Pairing pairing = Pairing.NONE;
    if (node.role == Role.CONSUMER) {
      if (causes.isEmpty()) {
        pairing = Pairing.UNOBSERVED;
        consumersWithoutProducer++;
      } else if (unobserved > 0) {
        pairing = Pairing.PARTIAL;
      } else {
        pairing = node.kind == Role.Kind.STREAM && !node.stream.anchored ? Pairing.ASSUMED : Pairing.EXACT;
      }
      unobservedBytes += unobserved;
    }
    long backlog = node.kind == Role.Kind.MESSAGE ? messageBacklog(node, causes)
        : node.stream == null ? 0 : node.role == Role.CONSUMER ? node.foundBytes : node.stream.unread();
    downstream.accept(new CausalEvent(node.resolved, node.role, causes, unobserved, pairing, backlog));
  }
}
