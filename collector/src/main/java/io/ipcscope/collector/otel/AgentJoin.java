package io.ipcscope.collector.otel;

import io.ipcscope.collector.agent.AgentInbox;
import io.ipcscope.collector.agent.AgentMessage;
import io.ipcscope.collector.agent.AgentOp;
import io.ipcscope.collector.flow.CausalEvent;
import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.model.SignalNames;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Joins the operations JVM agents report (docs/AGENT.md) with the kernel's events, between the causal order and the
 * span factory: a JVM operation becomes a span of the JVM's process, and the kernel span of the same thread, time and
 * channel is tied to it, so that a Java parent and its non-Java child land in one trace.
 *
 * <ul>
 *   <li>A JVM <b>producer</b> (a write, a send, a kill) is the application's span's child when the application had
 *       one active, else a root. The kernel producer span of the same pid and thread whose time lies within the JVM
 *       call, on the same channel (or to the same target, for a signal), becomes the JVM span's child, and so do the
 *       consumers the span factory parents to it: {@code sort} reading the pipe, the delivery of the signal.
 *   <li>A JVM <b>consumer</b> (a read, a receive) with an application span stays in the application's trace; it and
 *       the kernel consumer span link to each other. Without one it becomes the kernel consumer span's child, in the
 *       trace of whoever wrote what it read. A JVM signal handler's operation is matched by pid and signal with the
 *       kernel delivery that came before it (within a second): the handler runs on another thread.
 *   <li>Operations that have no kernel span to join (a spawn, an open) are exported as they come; joinable ones
 *       that found none within {@link Options#retentionNanos} are exported unjoined and counted.
 *   <li>A <b>summary</b> (operations an agent folded per stream and window) is one span, exported as it comes,
 *       with {@code ipc.window.operations} its count; it joins no kernel span: the kernel events of the operations
 *       it stands for make their spans as they would without an agent.
 * </ul>
 *
 * <p>The agent reports an operation after the kernel recorded it, so the kernel events of a process whose agent is
 * connected wait here until the agent's mark (every operation that ended before it has been sent) passes their
 * time, or until {@link Options#holdNanos} after it; events behind a waiting one wait too, so the span factory still
 * sees producers before their consumers. Without agents every event passes straight through. Not thread-safe: the
 * collector's loop owns it; the agent socket's thread hands over through the {@link AgentInbox}.
 */
public final class AgentJoin implements Consumer<CausalEvent> {

  /**
   * @param holdNanos how long after its time a kernel event of a process with an agent waits for the agent's mark
   * @param retentionNanos how long after its end a JVM operation waits for its kernel event (longer than the kernel
   *     event's own way here: the ring's batching, the peer wait and the causal hold)
   * @param maxHeld kernel events held at most; beyond, the oldest goes on unjoined
   * @param maxPending JVM operations waiting at most; beyond, the oldest is exported unjoined
   */
  public record Options(long holdNanos, long retentionNanos, int maxHeld, int maxPending) {

    /** Four of the agent's idle marks (50 ms apart). */
    public static final long DEFAULT_HOLD_NANOS = 250_000_000L;

    public Options {
      if (holdNanos < 0 || retentionNanos <= 0 || maxHeld < 1 || maxPending < 1) {
        throw new IllegalArgumentException("holdNanos >= 0, retentionNanos > 0, maxHeld >= 1, maxPending >= 1");
      }
    }

    /** {@code kernelDelayNanos}: the longest a kernel event may take to reach the join (peer wait, causal hold). */
    public static Options defaults(long holdNanos, long kernelDelayNanos) {
      return new Options(holdNanos, holdNanos + kernelDelayNanos + 1_000_000_000L, 262_144, 262_144);
    }
  }

  /** A mark must pass a kernel event by this much: the JVM call that made the syscall returns a little after it. */
  static final long MARK_SLACK_NANOS = 10_000_000L;
  /** A JVM signal handler runs at most this long after the kernel delivered its signal. */
  static final long HANDLER_WINDOW_NANOS = 1_000_000_000L;
  private static final int MAX_DELIVERIES = 64;
  private static final InstrumentationScopeInfo AGENT_SCOPE =
      InstrumentationScopeInfo.builder("io.ipcscope.agent").build();

  private final SpanFactory spans;
  private final ProcessResources resources;
  private final long epochOffsetNanos;
  private final Consumer<SpanData> sink;
  private final Consumer<CausalEvent> then;
  private final SpanIds ids;
  private AgentInbox inbox;
  private Options options = Options.defaults(Options.DEFAULT_HOLD_NANOS, 500_000_000L);
  private final Map<Integer, Agent> agents = new HashMap<>();
  private final ArrayDeque<CausalEvent> held = new ArrayDeque<>();
  private final ArrayDeque<Pending> byArrival = new ArrayDeque<>();
  private final Consumer<AgentMessage> onMessage = this::message;
  private long now = Long.MIN_VALUE / 2;
  private long spansMade;
  private long joined;
  private long unjoined;
  private long heldEvents;
  private long holdTimeouts;

  /**
   * @param then what each kernel event goes to after its span was made (the dashboard's tail)
   * @param seed for the trace ids of JVM operations without an application span (a replay has no agents)
   */
  AgentJoin(SpanFactory spans, ProcessResources resources, long epochOffsetNanos, Consumer<SpanData> sink,
      Consumer<CausalEvent> then, long seed) {
    this.spans = spans;
    this.resources = resources;
    this.epochOffsetNanos = epochOffsetNanos;
    this.sink = sink;
    this.then = then;
    this.ids = new SpanIds(seed);
  }

  /** The span factory behind {@code spans}, joined with the agents whose messages arrive in {@code inbox}. */
  public static AgentJoin of(SpanFactory spans, long epochOffsetNanos, Consumer<SpanData> sink,
      Consumer<CausalEvent> then) {
    return new AgentJoin(spans, spans.resources(), epochOffsetNanos, sink, then, spans.seed() ^ 0x5DEECE66DL);
  }

  /** Takes agents' messages from {@code inbox} from now on. */
  public AgentJoin withAgents(AgentInbox inbox, Options options) {
    this.inbox = Objects.requireNonNull(inbox, "inbox");
    this.options = Objects.requireNonNull(options, "options");
    return this;
  }

  @Override
  public void accept(CausalEvent c) {
    if (inbox != null) {
      inbox.drain(onMessage);
    }
    boolean waits = waits(c);
    if (held.isEmpty() && !waits) {
      release(c);
      return;
    }
    if (waits) {
      heldEvents++;
    }
    held.add(c);
    releaseReady();
  }

  /** Time passes (monotonic): held events whose mark came or whose hold is over go on; old operations go out. */
  public void flush(long nowNanos) {
    now = Math.max(now, nowNanos);
    if (inbox != null) {
      inbox.drain(onMessage);
    }
    releaseReady();
    while (!byArrival.isEmpty()) {
      Pending p = byArrival.peek();
      if (!p.done && now - p.op.endNanos() < options.retentionNanos() && byArrival.size() <= options.maxPending()) {
        break;
      }
      byArrival.poll();
      finish(p);
    }
    agents.values().removeIf(a -> a.connections == 0 && a.pending == 0);
  }

  /** End of the stream: what waits goes on, every operation goes out. */
  public void drain() {
    if (inbox != null) {
      inbox.drain(onMessage);
    }
    while (!held.isEmpty()) {
      release(held.poll());
    }
    while (!byArrival.isEmpty()) {
      finish(byArrival.poll());
    }
  }

  /** Spans of JVM operations made. */
  public long spans() {
    return spansMade;
  }

  /** Kernel events waiting now. */
  public int heldNow() {
    return held.size();
  }

  public AgentHealth health() {
    return new AgentHealth(inbox == null ? 0 : inbox.connected(), inbox == null ? 0 : inbox.welcomed(),
        inbox == null ? 0 : inbox.rejected(), inbox == null ? 0 : inbox.badLines(), inbox == null ? 0 : inbox.ops(),
        inbox == null ? 0 : inbox.bytes(), inbox == null ? 0 : inbox.summaries(),
        inbox == null ? 0 : inbox.opsDropped(), joined, unjoined, heldEvents, holdTimeouts);
  }

  private void message(AgentMessage m) {
    Agent a = agents.computeIfAbsent(m.pid(), pid -> new Agent());
    if (m instanceof AgentMessage.Op o) {
      arrived(a, o.op());
    } else if (m instanceof AgentMessage.Summary s) {
      summarized(a, s);
    } else if (m instanceof AgentMessage.Mark k) {
      a.mark = Math.max(a.mark, k.sentThroughNanos());
    } else if (m instanceof AgentMessage.Hello h) {
      a.connections++;
      a.scope = h.agentVersion().isEmpty() ? AGENT_SCOPE
          : InstrumentationScopeInfo.builder("io.ipcscope.agent").setVersion(h.agentVersion()).build();
    } else if (m instanceof AgentMessage.Gone) {
      a.connections = Math.max(0, a.connections - 1);
    }
  }

  /** Whether a kernel event must wait for its agent: it makes a span, and the agent has not reported its time yet. */
  private boolean waits(CausalEvent c) {
    if (agents.isEmpty() || c.role() == Role.NONE) {
      return false;
    }
    Agent a = agents.get(c.resolved().event().pid());
    return a != null && a.connections > 0 && a.mark < c.resolved().event().tsNanos() + MARK_SLACK_NANOS;
  }

  private void releaseReady() {
    while (!held.isEmpty()) {
      CausalEvent c = held.peek();
      if (waits(c)) {
        boolean over = now - c.resolved().event().tsNanos() >= options.holdNanos();
        if (!over && held.size() <= options.maxHeld()) {
          return;
        }
        holdTimeouts++;
      }
      held.poll();
      release(c);
    }
  }

  private void arrived(Agent a, AgentOp op) {
    Pending p = new Pending(op, a);
    if (p.kind == SpanKind.PRODUCER || op.hasParent()) {
      p.context = context(op.hasParent() ? op.traceId() : ids.traceId(), op);
    }
    if (p.kind == SpanKind.INTERNAL || movedNothing(op)) {
      emit(p, p.context == null ? context(ids.traceId(), op) : p.context, parentOf(op), List.of());
      return;
    }
    if (!p.handler) {
      a.byThread.computeIfAbsent(op.tid(), t -> new ArrayDeque<>()).add(p);
    }
    a.pending++;
    byArrival.add(p);
  }

  /**
   * A summary is one span at once, shaped as its operations' would be, with their count: it is never joined, so the
   * kernel events of the operations it stands for make their spans as they would without an agent.
   */
  private void summarized(Agent a, AgentMessage.Summary s) {
    AgentOp op = s.op();
    Pending p = new Pending(op, a);
    emit(p, context(op.hasParent() ? op.traceId() : ids.traceId(), op), parentOf(op), List.of(), s.count());
  }

  /** A kernel event goes on: its span is made (joined to its JVM operation when it has one), then the tail. */
  private void release(CausalEvent c) {
    IpcEvent e = c.resolved().event();
    Agent a = agents.isEmpty() ? null : agents.get(e.pid());
    Pending p = a == null || c.role() == Role.NONE ? null : match(a, c);
    if (p == null) {
      spans.accept(c, null);
    } else if (p.kind == SpanKind.PRODUCER) {
      if (spans.accept(c, p.context) && !p.joined) {
        p.joined = true;
        p.kernelPeer = c.resolved().peerPid();
        joined++;
        emit(p, p.context, parentOf(p.op), List.of());
      }
    } else {
      boolean inAppTrace = p.op.hasParent();
      spans.accept(c, inAppTrace ? p.context : null);
      SpanContext kernel = spans.lastContext();
      if (kernel.isValid() && !p.joined) {
        p.joined = true;
        p.kernelPeer = c.resolved().peerPid();
        joined++;
        if (inAppTrace) {
          emit(p, p.context, parentOf(p.op), List.of(LinkData.create(kernel)));
        } else {
          p.context = context(kernel.getTraceId(), p.op);
          emit(p, p.context, kernel, List.of());
        }
      }
    }
    if (a != null) {
      delivered(a, c);
      passed(a, e.tid(), e.tsNanos());
    }
    then.accept(c);
  }

  /** The JVM operation of the kernel event's thread that was running when it happened, on its channel; or null. */
  private static Pending match(Agent a, CausalEvent c) {
    IpcEvent e = c.resolved().event();
    ArrayDeque<Pending> ops = a.byThread.get(e.tid());
    if (ops == null) {
      return null;
    }
    SpanKind kind = c.role() == Role.PRODUCER ? SpanKind.PRODUCER : SpanKind.CONSUMER;
    Pending found = null;
    for (Pending p : ops) {
      boolean during = p.op.startNanos() <= e.tsNanos() && e.tsNanos() <= p.op.endNanos();
      if (!p.done && during && p.kind == kind && sameChannel(p, c.resolved())
          && (found == null || p.op.startNanos() >= found.op.startNanos())) {
        found = p; // the innermost call, when calls nest
      }
    }
    return found;
  }

  /**
   * Whether the JVM names the kernel event's channel: the same pipe or socket inode (a stream socket's kernel
   * channel is its sending socket, so either of the event's two sockets), the FIFO's inode, the signal's target
   * (when the agent's could be named) and number. A loopback TCP or UDP flow is named by its endpoints, which the JVM's {@code socket:[INODE]} cannot be
   * compared with: there the thread and the time decide alone (a thread is in one syscall at a time).
   */
  static boolean sameChannel(Pending p, ResolvedEvent r) {
    IpcEvent e = r.event();
    AgentOp op = p.op;
    return switch (e.mechanism()) {
      // a target the collector could not name (a JVM in a pod killing a child that is gone): the thread and the
      // time decide, as the thread is in one kill at a time
      case SIGNAL -> op.mechanism().equals("signal") && (op.peerPid() == e.peerPid() || op.peerPid() == 0)
          && (op.attribute("ipc.signal") == null || op.attribute("ipc.signal").equals(SignalNames.name(e.aux())));
      case FIFO -> p.fifoInode != 0 && p.fifoInode == e.channelId();
      case UNIX_SOCKET -> p.channel != null && p.channel.mechanism() == Mechanism.UNIX_SOCKET
          && (p.channel.inode() == e.channelId() || p.channel.inode() == e.extra());
      case TCP, UDP -> op.mechanism().equals("tcp") || op.mechanism().equals("udp")
          || (p.channel != null && p.channel.mechanism() == Mechanism.UNIX_SOCKET);
      default -> p.channel != null && p.channel.equals(r.channel());
    };
  }

  /**
   * The thread's kernel events come in the order it made them: once one after a JVM operation's end has gone on,
   * no kernel event of that operation is still to come.
   */
  private void passed(Agent a, int tid, long tsNanos) {
    ArrayDeque<Pending> ops = a.byThread.get(tid);
    while (ops != null && !ops.isEmpty() && ops.peek().op.endNanos() < tsNanos) {
      Pending head = ops.peek();
      if (head.done) {
        ops.poll();
      } else {
        finish(head); // takes it off the thread's queue
      }
    }
  }

  /** A delivery of a signal to an agent's process, for the JVM's handler operation that may come. */
  private void delivered(Agent a, CausalEvent c) {
    IpcEvent e = c.resolved().event();
    if (e.mechanism() != Mechanism.SIGNAL || e.op() != Operation.DELIVER || !spans.lastContext().isValid()) {
      return;
    }
    if (a.deliveries.size() >= MAX_DELIVERIES) {
      a.deliveries.poll();
    }
    a.deliveries.add(new Delivery(e.tsNanos(), SignalNames.name(e.aux()), spans.lastContext()));
  }

  /** An operation's time is up (or its thread moved past it): out it goes, joined or not. */
  private void finish(Pending p) {
    if (p.done) {
      return;
    }
    p.done = true;
    p.agent.pending--;
    ArrayDeque<Pending> ops = p.agent.byThread.get(p.op.tid());
    if (ops != null) {
      if (ops.peek() == p) {
        ops.poll();
      } else {
        ops.remove(p);
      }
      if (ops.isEmpty()) {
        p.agent.byThread.remove(p.op.tid());
      }
    }
    if (p.joined) {
      return;
    }
    Delivery d = p.handler ? deliveryBefore(p) : null;
    if (d != null) {
      joined++;
      if (p.op.hasParent()) {
        emit(p, p.context, parentOf(p.op), List.of(LinkData.create(d.context)));
      } else {
        emit(p, context(d.context.getTraceId(), p.op), d.context, List.of());
      }
      return;
    }
    unjoined++;
    emit(p, p.context != null ? p.context : context(ids.traceId(), p.op), parentOf(p.op), List.of());
  }

  /** The latest delivery of the handler's signal to its process within a second before the handler ran. */
  private static Delivery deliveryBefore(Pending p) {
    String signal = p.op.attribute("ipc.signal");
    Delivery found = null;
    for (Iterator<Delivery> it = p.agent.deliveries.iterator(); it.hasNext(); ) {
      Delivery d = it.next();
      if (d.tsNanos <= p.op.endNanos() && p.op.startNanos() - d.tsNanos <= HANDLER_WINDOW_NANOS
          && (signal == null || signal.equals(d.signal))) {
        found = d;
      }
    }
    if (found != null) {
      p.agent.deliveries.remove(found); // one handler per delivery
    }
    return found;
  }

  private static SpanContext context(String traceId, AgentOp op) {
    return SpanContext.create(traceId, op.spanId(), op.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
        TraceState.getDefault());
  }

  private static SpanContext parentOf(AgentOp op) {
    return op.hasParent()
        ? SpanContext.createFromRemoteParent(op.traceId(), op.parentSpanId(),
            op.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault())
        : SpanContext.getInvalid();
  }

  /** The JVM operation's span: the JVM's process's resource, the agent's scope, the operation's own attributes. */
  private void emit(Pending p, SpanContext context, SpanContext parent, List<LinkData> links) {
    emit(p, context, parent, links, 0);
  }

  /** @param count the operations a summary stands for ({@code ipc.window.operations}); 0 for one operation */
  private void emit(Pending p, SpanContext context, SpanContext parent, List<LinkData> links, long count) {
    AgentOp op = p.op;
    String destination = destination(op);
    AttributesBuilder a = Attributes.builder()
        .put(IpcAttributes.MESSAGING_SYSTEM, op.mechanism())
        .put(IpcAttributes.MESSAGING_OPERATION_NAME, op.operation());
    if (p.kind != SpanKind.INTERNAL) {
      a.put(IpcAttributes.MESSAGING_OPERATION_TYPE, p.kind == SpanKind.PRODUCER ? "send" : "receive");
    }
    a.put(IpcAttributes.MESSAGING_DESTINATION, destination);
    if (op.bytes() >= 0) {
      a.put(IpcAttributes.MESSAGING_BODY_SIZE, op.bytes());
    }
    if (op.tid() != 0) { // 0: a thread of a JVM in another pid namespace that ended before we could name it
      a.put(IpcAttributes.THREAD_ID, op.tid());
    }
    a.put(IpcAttributes.MECHANISM, op.mechanism());
    if (p.channel != null) {
      a.put(IpcAttributes.CHANNEL, op.channel());
    }
    // the agent's peer, else the one the kernel named: a JVM cannot tell who reads its socket, and the collector
    // cannot name the peer of a JVM in a pod once it has ended
    long peer = op.peerPid() != 0 ? op.peerPid() : p.kernelPeer;
    if (peer != 0) {
      a.put(IpcAttributes.PEER_PID, peer);
    }
    for (Map.Entry<String, String> attribute : op.attributes()) {
      a.put(attribute.getKey(), attribute.getValue());
    }
    if (count > 0) {
      a.put(IpcAttributes.WINDOW_OPERATIONS, count);
    }
    spansMade++;
    sink.accept(new IpcSpan(op.operation() + " " + destination, p.kind, context, parent,
        op.startNanos() + epochOffsetNanos, op.endNanos() + epochOffsetNanos, a.build(), links, StatusData.unset(),
        resources.ofPid(op.pid()), p.agent.scope));
  }

  /** As kernel spans name theirs: a signal's name, else the channel (a FIFO's path), else the mechanism. */
  private static String destination(AgentOp op) {
    if (op.mechanism().equals("signal")) {
      String signal = op.attribute("ipc.signal");
      return signal == null ? "signal" : signal;
    }
    return op.channel().isEmpty() ? op.mechanism() : op.channel();
  }

  /** Which side of a transfer a JVM operation is on, by its name (docs/AGENT.md); INTERNAL ones never join. */
  /**
   * A transfer that moved nothing: a read at the end of a stream, or a call that failed. The kernel makes no span of
   * such a syscall, so there is nothing to join, and the operation is not "unjoined" for want of one. A kill moves
   * nothing either, but is joinable.
   */
  static boolean movedNothing(AgentOp op) {
    return op.bytes() < 0 && !op.mechanism().equals("signal") && kindOf(op) != SpanKind.INTERNAL;
  }

  static SpanKind kindOf(AgentOp op) {
    return switch (op.operation()) {
      case "write", "send", "kill" -> SpanKind.PRODUCER;
      case "read", "receive", "handle", "deliver" -> SpanKind.CONSUMER;
      default -> SpanKind.INTERNAL;
    };
  }

  /** One JVM with an agent: its connections, how far its marks reached, its operations waiting for a join. */
  private static final class Agent {
    int connections;
    long mark = Long.MIN_VALUE / 2;
    int pending;
    InstrumentationScopeInfo scope = AGENT_SCOPE;
    final Map<Integer, ArrayDeque<Pending>> byThread = new HashMap<>();
    final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();
  }

  /** A JVM operation waiting for (or past) its kernel event. */
  static final class Pending {
    final AgentOp op;
    final Agent agent;
    final SpanKind kind;
    /** The operation's channel when the JVM names it as the kernel does ({@code pipe:[...]}, {@code socket:[...]}). */
    final ChannelKey channel;
    final long fifoInode;
    /** A signal handler's operation: on another thread than the delivery, matched by pid and signal. */
    final boolean handler;
    /** Its span: decided at arrival for producers and for operations in an application trace, else at the join. */
    SpanContext context;
    boolean joined;
    boolean done;
    /** The process the joined kernel event names at the other end; 0 when not joined or nobody was named. */
    int kernelPeer;

    Pending(AgentOp op, Agent agent) {
      this.op = op;
      this.agent = agent;
      this.kind = kindOf(op);
      this.channel = ChannelKey.parse(op.channel()).orElse(null);
      long inode = 0;
      if (op.mechanism().equals("fifo")) {
        try {
          inode = Long.parseLong(Objects.requireNonNullElse(op.attribute("ipc.inode"), "0"));
        } catch (NumberFormatException e) {
          inode = 0;
        }
      }
      this.fifoInode = inode;
      this.handler = kind == SpanKind.CONSUMER && op.mechanism().equals("signal");
    }
  }

  private record Delivery(long tsNanos, String signal, SpanContext context) {}
}
