package io.ipcscope.collector.talk;

import io.ipcscope.collector.flow.CausalEvent;
import io.ipcscope.collector.flow.Cause;
import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Who talks to whom: one edge per producer process, consumer process, mechanism and channel, counted from what
 * consumers took (a write nobody read moved nothing between processes). Shared memory gives undirected edges among
 * the processes that map the same object. Signals are also tallied per sender, target and signal number, sent or
 * not ({@link SignalFlows}). Bounded: edges and signal flows idle longer than the caller's TTL are evicted on
 * {@link #evictIdle}, and counted.
 *
 * <p>Not thread-safe: one consumer thread owns it; others read {@link #snapshot()} copies through the owner.
 */
public final class TalkGraph implements Consumer<CausalEvent> {

  private static final ProcessKey UNKNOWN = new ProcessKey(0, 0);

  private final ProcessTable processes;
  private final Map<EdgeKey, Counts> edges = new HashMap<>();
  private final Map<ProcessKey, ProcessNode> nodes = new HashMap<>();
  private final SignalFlows signals = new SignalFlows();
  private long evictedEdges;
  /** Per semaphore set or locked file, its most recent users (at most {@link #MAX_SHARERS}). */
  private final Map<io.ipcscope.collector.model.ChannelKey, java.util.LinkedHashSet<ProcessKey>> usersByChannel =
      new HashMap<>();
  private static final int MAX_SHARERS = 32;
  private static final int MAX_SHARED_CHANNELS = 65_536;

  private static final class Counts {
    final String path;
    final boolean directed;
    long messages;
    long bytes;
    long unobservedBytes;
    long firstNanos;
    long lastNanos;
    long latencyCount;
    long latencySum;
    long latencyMax;
    long maxBacklog;

    Counts(String path, boolean directed, long nowNanos) {
      this.path = path;
      this.directed = directed;
      this.firstNanos = nowNanos;
    }
  }

  public TalkGraph(ProcessTable processes) {
    this.processes = processes;
  }

  @Override
  public void accept(CausalEvent c) {
    ResolvedEvent r = c.resolved();
    IpcEvent e = r.event();
    if (e.pid() == 0 && e.mechanism() != Mechanism.SIGNAL) {
      return;
    }
    ProcessKey actor = learn(e.pid(), e.startNanos(), r.comm());
    if (e.mechanism() == Mechanism.SIGNAL) {
      signal(c, actor);
    }
    if (c.role() == Role.CONSUMER) {
      List<Counts> counted = new ArrayList<>(2);
      for (Cause cause : c.causes()) {
        IpcEvent p = cause.producer();
        ProcessKey from = p.pid() == 0 ? UNKNOWN : ProcessKey.fromKernel(p.pid(), p.startNanos());
        Counts edge = edge(new EdgeKey(from, actor, e.mechanism(), r.channel()), r.path(), true, e.tsNanos());
        if (!counted.contains(edge)) {
          edge.messages++; // one operation per edge, however many writes of that writer it took
          counted.add(edge);
        }
        edge.bytes += cause.bytes();
        latency(edge, e.tsNanos() - p.tsNanos());
        edge.maxBacklog = Math.max(edge.maxBacklog, c.backlogBytes());
      }
      if (c.unobservedBytes() > 0 || c.causes().isEmpty()) {
        ProcessKey from = r.peerPid() == 0 ? UNKNOWN : known(r.peerPid(), r.peerComm());
        Counts edge = edge(new EdgeKey(from, actor, e.mechanism(), r.channel()), r.path(), true, e.tsNanos());
        edge.messages++;
        edge.unobservedBytes += c.unobservedBytes();
      }
    } else if (sharedUse(e) && r.channel() != null) {
      sharers(actor, r, e);
    } else if (e.op() == Operation.ATTACH && !e.failed() && r.channel() != null) {
      for (int other : r.sharedWith()) {
        ProcessKey peer = known(other, "");
        boolean actorFirst = e.pid() < other;
        EdgeKey key = new EdgeKey(actorFirst ? actor : peer, actorFirst ? peer : actor, e.mechanism(), r.channel());
        edge(key, r.path(), false, e.tsNanos()).messages++;
      }
    }
  }

  /**
   * Tallies a signal on its flow: a send or generation with its outcome, a delivery with its sender (the paired
   * generation's process, else the siginfo's pid) and its latency.
   */
  private void signal(CausalEvent c, ProcessKey actor) {
    IpcEvent e = c.resolved().event();
    if (e.aux() == 0) {
      return; // kill(pid, 0) only asks whether pid exists
    }
    switch (e.op()) {
      case SEND, GENERATE -> {
        if (e.peerPid() <= 0) {
          return; // a failed kill of a process group (or of every process) names no one target
        }
        ProcessKey target = known(e.peerPid(), c.resolved().peerComm());
        if (c.role() == Role.PRODUCER) {
          signals.generated(actor, target, e);
        } else if (e.failed()) {
          signals.failed(actor, target, e);
        }
      }
      case DELIVER -> {
        for (Cause cause : c.causes()) {
          IpcEvent p = cause.producer();
          ProcessKey from = p.pid() == 0 ? UNKNOWN : ProcessKey.fromKernel(p.pid(), p.startNanos());
          signals.delivered(from, actor, e, e.tsNanos() - p.tsNanos());
        }
        if (c.causes().isEmpty()) {
          int sender = c.resolved().peerPid();
          signals.delivered(sender == 0 ? UNKNOWN : known(sender, c.resolved().peerComm()), actor, e, -1);
        }
      }
      default -> { }
    }
  }

  /** A semaphore operation or a lock taken: the processes that share the object are tied, as attachers are. */
  private static boolean sharedUse(IpcEvent e) {
    return !e.failed() && ((e.mechanism() == Mechanism.SEM && (e.op() == Operation.POST || e.op() == Operation.WAIT))
        || (e.mechanism() == Mechanism.FILE_LOCK && e.op() == Operation.ACQUIRE));
  }

  /**
   * Ties the actor to every other recent user of the semaphore set or locked file with an undirected edge (one
   * operation each time). A lock taken after a wait gives the edge to the holder it waited for that wait as latency.
   */
  private void sharers(ProcessKey actor, ResolvedEvent r, IpcEvent e) {
    if (usersByChannel.size() > MAX_SHARED_CHANNELS) {
      usersByChannel.clear(); // sharing is learned again from the next operations
    }
    java.util.LinkedHashSet<ProcessKey> users = usersByChannel.computeIfAbsent(r.channel(),
        k -> new java.util.LinkedHashSet<>());
    for (ProcessKey other : users) {
      if (other.equals(actor)) {
        continue;
      }
      boolean actorFirst = PROCESS_ORDER.compare(actor, other) < 0;
      EdgeKey key = new EdgeKey(actorFirst ? actor : other, actorFirst ? other : actor, e.mechanism(), r.channel());
      Counts edge = edge(key, r.path(), false, e.tsNanos());
      edge.messages++;
      if (r.waitedNanos() > 0 && other.pid() == r.peerPid()) {
        latency(edge, r.waitedNanos());
      }
    }
    users.remove(actor);
    users.add(actor); // most recent last
    if (users.size() > MAX_SHARERS) {
      users.remove(users.iterator().next());
    }
  }

  private static void latency(Counts edge, long nanos) {
    if (nanos < 0) {
      return; // recorded out of order by a few microseconds: no measurement
    }
    edge.latencyCount++;
    edge.latencySum += nanos;
    edge.latencyMax = Math.max(edge.latencyMax, nanos);
  }

  private Counts edge(EdgeKey key, String path, boolean directed, long nowNanos) {
    Counts counts = edges.computeIfAbsent(key, k -> new Counts(path, directed, nowNanos));
    counts.lastNanos = Math.max(counts.lastNanos, nowNanos);
    return counts;
  }

  private ProcessKey learn(int pid, long startNanos, String comm) {
    ProcessKey key = ProcessKey.fromKernel(pid, startNanos);
    ProcessNode node = nodes.get(key);
    if (node == null || !node.comm().equals(comm)) {
      ProcessInfo info = processes.get(pid).filter(p -> p.key().equals(key)).orElse(null);
      nodes.put(key, new ProcessNode(key, comm, info == null ? "" : info.exe(), info == null ? 0 : info.parentPid(),
          processes.details(pid)));
    }
    return key;
  }

  /** A process named only as a peer: its identity as the process table knows it now. */
  private ProcessKey known(int pid, String comm) {
    ProcessInfo info = processes.get(pid).orElse(null);
    if (info == null) {
      ProcessKey key = new ProcessKey(pid, 0);
      nodes.putIfAbsent(key, new ProcessNode(key, comm, "", 0));
      return key;
    }
    nodes.putIfAbsent(info.key(), new ProcessNode(info.key(), info.comm(), info.exe(), info.parentPid(),
        processes.details(pid)));
    return info.key();
  }

  /** Forgets edges and signal flows idle since before {@code cutoffNanos}, and processes none of them names. */
  public void evictIdle(long cutoffNanos) {
    for (Iterator<Counts> it = edges.values().iterator(); it.hasNext(); ) {
      if (it.next().lastNanos < cutoffNanos) {
        it.remove();
        evictedEdges++;
      }
    }
    signals.evictIdle(cutoffNanos);
    java.util.Set<ProcessKey> named = edges.keySet().stream()
        .flatMap(k -> java.util.stream.Stream.of(k.from(), k.to())).collect(java.util.stream.Collectors.toSet());
    signals.ends(named);
    nodes.keySet().retainAll(named);
  }

  /** Signal flows forgotten so far: idle, or the least recently active beyond {@link SignalFlows#MAX_FLOWS}. */
  public long evictedSignalFlows() {
    return signals.evicted();
  }

  public long evictedEdges() {
    return evictedEdges;
  }

  public int edgeCount() {
    return edges.size();
  }

  /**
   * Every edge and signal flow and the processes they join, sorted (edges by from, to, mechanism, channel; flows by
   * sender, target, signal) so output is reproducible.
   */
  public Snapshot snapshot() {
    List<Edge> list = new ArrayList<>(edges.size());
    edges.forEach((k, c) -> list.add(new Edge(k, c.path, c.directed, c.messages, c.bytes, c.unobservedBytes,
        c.firstNanos, c.lastNanos, c.latencyCount, c.latencySum, c.latencyMax, c.maxBacklog)));
    list.sort(EDGE_ORDER);
    Map<ProcessKey, ProcessNode> used = new java.util.TreeMap<>(PROCESS_ORDER);
    for (Edge edge : list) {
      used.put(edge.key().from(), node(edge.key().from()));
      used.put(edge.key().to(), node(edge.key().to()));
    }
    List<SignalFlow> flows = signals.snapshot();
    for (SignalFlow flow : flows) {
      used.computeIfAbsent(flow.from(), this::node);
      used.computeIfAbsent(flow.to(), this::node);
    }
    return new Snapshot(List.copyOf(used.values()), List.copyOf(list), flows);
  }

  private ProcessNode node(ProcessKey key) {
    return key.equals(UNKNOWN) ? new ProcessNode(UNKNOWN, "", "", 0)
        : nodes.getOrDefault(key, new ProcessNode(key, "", "", 0));
  }

  /**
   * The graph at one moment.
   *
   * @param nodes every process an edge or a signal flow names
   * @param signals per sender, target and signal number (signal edges count only what was delivered)
   */
  public record Snapshot(List<ProcessNode> nodes, List<Edge> edges, List<SignalFlow> signals) {

    /** A graph without signal flows. */
    public Snapshot(List<ProcessNode> nodes, List<Edge> edges) {
      this(nodes, edges, List.of());
    }
  }

  static final Comparator<ProcessKey> PROCESS_ORDER =
      Comparator.comparingInt(ProcessKey::pid).thenComparingLong(ProcessKey::startTicks);

  /** By from, to, mechanism, then channel name. */
  static final Comparator<Edge> EDGE_ORDER = TalkGraph::compareEdges;

  /**
   * {@link #EDGE_ORDER} written out: every snapshot sorts every edge with it, and a chain of key-extracting
   * comparators, which also built both channel names for each comparison, made most of a dashboard's reader thread's
   * time on a busy host (tens of thousands of edges).
   */
  private static int compareEdges(Edge a, Edge b) {
    EdgeKey x = a.key();
    EdgeKey y = b.key();
    int c = compareProcesses(x.from(), y.from());
    if (c == 0) {
      c = compareProcesses(x.to(), y.to());
    }
    if (c == 0) {
      c = x.mechanism().compareTo(y.mechanism());
    }
    if (c == 0 && !java.util.Objects.equals(x.channel(), y.channel())) {
      c = channelName(x).compareTo(channelName(y));
    }
    return c;
  }

  private static int compareProcesses(ProcessKey a, ProcessKey b) {
    int c = Integer.compare(a.pid(), b.pid());
    return c != 0 ? c : Long.compare(a.startTicks(), b.startTicks());
  }

  private static String channelName(EdgeKey key) {
    return key.channel() == null ? "" : key.channel().display();
  }
}
