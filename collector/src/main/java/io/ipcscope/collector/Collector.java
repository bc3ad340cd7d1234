package io.ipcscope.collector;

import io.ipcscope.collector.agent.AgentInbox;
import io.ipcscope.collector.flow.CausalEvent;
import io.ipcscope.collector.flow.CausalOrder;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.otel.AgentHealth;
import io.ipcscope.collector.otel.AgentJoin;
import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.otel.ProcessResources;
import io.ipcscope.collector.otel.SpanExportQueue;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.talk.EventTail;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * What the collector makes of resolved events: puts them in causal order (each consumer paired with its producers),
 * counts the who-talks-to-whom graph, and makes spans. Plain Java, no I/O: the same calls give the same graph and
 * spans live and from a recording. Not thread-safe: the thread that reads the ring buffer owns it.
 */
public final class Collector implements Consumer<ResolvedEvent> {

  /** How long a consumer waits for the record of its producer (records of different CPUs arrive out of order). */
  public static final long DEFAULT_CAUSAL_HOLD_NANOS = 200_000_000L;
  /** Edges idle this long are forgotten. */
  static final long EDGE_TTL_NANOS = 600_000_000_000L;

  private final CausalOrder order;
  private final TalkGraph graph;
  private final SpanFactory spans;
  private final AgentJoin join;
  private final EventTail tail = new EventTail();
  private long events;
  private long ignored;
  private LongPredicate ownEndpoint;
  private LongPredicate ownUnixSocket;
  private String agentSocketPath = "";
  private long lastEviction;

  /**
   * @param epochOffsetNanos wall-clock epoch nanoseconds minus CLOCK_MONOTONIC nanoseconds
   * @param spanSink where spans go; null for no spans (graph only)
   */
  public Collector(ProcessTable processes, Resource processBase, long epochOffsetNanos, SpanFactory.Options options,
      long causalHoldNanos, Consumer<SpanData> spanSink) {
    this.graph = new TalkGraph(processes);
    this.spans = spanSink == null ? null
        : new SpanFactory(new ProcessResources(processes, processBase), epochOffsetNanos, options, spanSink);
    // The tail comes last: it records the trace the span factory just put the operation in. Spans (and so the
    // tail) come after the agents' join, which may hold kernel events of JVMs for their agents' reports.
    this.join = spans == null ? null
        : AgentJoin.of(spans, epochOffsetNanos, spanSink, c -> tail.add(c, spans.lastTraceId()));
    this.order = new CausalOrder(causalHoldNanos, this::handOn);
  }

  /** Each operation in causal order: to the graph, then to the agents' join, the spans and the tail. */
  private void handOn(CausalEvent c) {
    graph.accept(c);
    if (join == null) {
      tail.add(c, "");
    } else {
      join.accept(c);
    }
  }

  /**
   * Joins the operations of JVM agents that arrive in {@code inbox} with the kernel's events (docs/AGENT.md). The
   * agents' connections to the collector are left out: those on {@code socketPath} (the listener's name, which the
   * kernel gives both directions of a connection), and any with an end among {@code ownSockets} (the inodes of the
   * agent socket's sockets). Only with spans: without, the agents' operations are not read.
   */
  public Collector joiningAgents(AgentInbox inbox, AgentJoin.Options options, String socketPath,
      LongPredicate ownSockets) {
    if (join != null) {
      join.withAgents(inbox, options);
    }
    this.agentSocketPath = socketPath;
    this.ownUnixSocket = ownSockets;
    return this;
  }

  @Override
  public void accept(ResolvedEvent r) {
    events++;
    if (ignoredFlow(r.event()) || agentTraffic(r)) {
      ignored++;
      return;
    }
    order.accept(r);
  }

  /**
   * An agent's reports to the collector, or its welcome: a Unix socket operation on the agent socket's connections.
   * Its name tells even the hello, written before the collector accepted the connection (the kernel knows no inode
   * of the collector's end then); the inodes tell the operations whose name was not resolved.
   */
  private boolean agentTraffic(ResolvedEvent r) {
    IpcEvent e = r.event();
    if (e.mechanism() != Mechanism.UNIX_SOCKET || ownUnixSocket == null) {
      return false;
    }
    return r.path().equals(agentSocketPath) || ownUnixSocket.test(e.channelId()) || ownUnixSocket.test(e.extra());
  }

  /** A loopback TCP flow with one end ours: the collector's own export to a backend on this host. */
  private boolean ignoredFlow(IpcEvent e) {
    if (e.mechanism() != Mechanism.TCP || ownEndpoint == null) {
      return false;
    }
    return (e.channelId() != 0 && ownEndpoint.test(e.channelId())) || (e.extra() != 0 && ownEndpoint.test(e.extra()));
  }

  /**
   * Leaves out loopback TCP flows one of whose endpoints {@code own} says is the collector's own (its exports to a
   * backend on this host: tracing the backend's reads of them would make spans of spans, without end).
   */
  public Collector ignoringOwnSockets(LongPredicate own) {
    this.ownEndpoint = own;
    return this;
  }

  /** Events left out as the collector's own traffic. */
  public long ignored() {
    return ignored;
  }

  /** Time passes (monotonic): consumers that waited long enough for producers go on; idle edges are forgotten. */
  public void tick(long nowNanos) {
    order.flush(nowNanos);
    if (spans != null) {
      join.flush(nowNanos);
      spans.flush(nowNanos);
    }
    if (nowNanos - lastEviction > EDGE_TTL_NANOS / 10) {
      lastEviction = nowNanos;
      graph.evictIdle(nowNanos - EDGE_TTL_NANOS);
    }
  }

  /** End of the stream: everything still waiting goes on. */
  public void drain() {
    order.drain();
    if (spans != null) {
      join.drain();
      spans.drain();
    }
  }

  /**
   * The collector's health now, for metrics, the live socket and the dashboard: the model's sizes from
   * {@code driver}, the edges of {@code graph} (the snapshot being published), the kernel's drops per CPU, and the
   * export queue's counts ({@code queue} null: no spans are exported).
   */
  public CollectorHealth health(ModelDriver driver, TalkGraph.Snapshot graph, long[] lostPerCpu,
      SpanExportQueue queue) {
    return new CollectorHealth(events, lostPerCpu, spans(), queue == null ? 0 : queue.exported(),
        queue == null ? 0 : queue.failed(), queue == null ? 0 : queue.dropped(), queue == null ? 0 : queue.queued(),
        driver.processes().size(), driver.channels().channelCount(), graph.edges().size(), this.graph.evictedEdges(),
        driver.processes().evicted(), driver.channels().forgotten(), order.pending(), order.unobservedBytes(),
        join == null ? AgentHealth.NONE : join.health());
  }

  public TalkGraph graph() {
    return graph;
  }

  /** The last few thousand operations, numbered, for the dashboard. */
  public EventTail tail() {
    return tail;
  }

  public CausalOrder causalOrder() {
    return order;
  }

  public long events() {
    return events;
  }

  /** Spans made: of kernel events, and of JVM agents' operations. */
  public long spans() {
    return spans == null ? 0 : spans.spans() + join.spans();
  }

  /** The agents' join; null without spans. */
  public AgentJoin agentJoin() {
    return join;
  }
}
