package io.ipcscope.collector.otel;

import io.ipcscope.collector.flow.CausalEvent;
import io.ipcscope.collector.flow.Cause;
import io.ipcscope.collector.flow.Pairing;
import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.model.SignalNames;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns causally ordered events into spans that cross processes: a PRODUCER span for every write, send or signal,
 * a CONSUMER span for every read, receive or delivery, the consumer a child of the (first) producer of what it took
 * and linked to the others. No payload is read: the pairing is the kernel's (offsets, message order).
 *
 * <p>Request/response chaining ({@link Options#chain}): a thread that consumed something and then produces continues
 * the trace of what it consumed, as socket tracers do for HTTP. So in {@code a | b | c} b's write is a child of b's
 * read, and the whole pipeline is one trace. A thread's produce more than {@link Options#chainWindowNanos} after
 * its last consume starts a new trace, and so does one whose trace already took {@link Options#maxHops} hops (a
 * ping-pong that never stops would otherwise be one endless trace).
 *
 * <p>Window mode ({@link Granularity#WINDOW}): at high rates a span per syscall costs more to export than the
 * syscalls cost to make, so each conversation gets at most one span per side per window instead: one PRODUCER span
 * per (producer process, operation, channel), one CONSUMER span per (producer process, consumer process, operation,
 * channel), carrying the count of operations and their bytes, from the first to the last. Parenting, links and
 * chaining work as above with windows in place of operations. Windows close {@code windowNanos} after their first
 * operation, when the next operation or a {@link #flush} sees it, or on {@link #drain}.
 */
public final class SpanFactory implements Consumer<CausalEvent> {

  /** How spans are made. */
  public record Options(boolean chain, long chainWindowNanos, int maxHops, long seed, Granularity granularity,
      long windowNanos) {

    /** A ping-pong that never stops would otherwise be one endless trace. */
    public static final int DEFAULT_MAX_HOPS = 16;
    /** docs/PERFORMANCE.md: long enough that a busy conversation's export cost is negligible, short for a UI. */
    public static final long DEFAULT_WINDOW_NANOS = 100_000_000L;

    /**
     * Adaptive mode: a channel with more producer operations than this in a window is busy, and its spans go per
     * window (docs/PERFORMANCE.md: 50 per 100 ms is 500 per second, where exporting a span per operation starts to
     * cost more than a few percent of a core).
     */
    public static final int BUSY_PRODUCES_PER_WINDOW = 50;

    public Options {
      if (granularity != Granularity.PER_OP && windowNanos <= 0) {
        throw new IllegalArgumentException("windowNanos must be positive in window mode, not " + windowNanos);
      }
    }

    /** A span per operation. */
    public Options(boolean chain, long chainWindowNanos, int maxHops, long seed) {
      this(chain, chainWindowNanos, maxHops, seed, Granularity.PER_OP, DEFAULT_WINDOW_NANOS);
    }

    public static Options defaults(long seed) {
      return new Options(true, 1_000_000_000L, DEFAULT_MAX_HOPS, seed);
    }

    public Options windowed(long nanos) {
      return new Options(chain, chainWindowNanos, maxHops, seed, Granularity.WINDOW, nanos);
    }

    public Options adaptive(long nanos) {
      return new Options(chain, chainWindowNanos, maxHops, seed, Granularity.ADAPTIVE, nanos);
    }
  }

  /**
   * A span per syscall; per conversation and window; or per syscall on quiet channels and per window on busy ones
   * (more than {@link Options#BUSY_PRODUCES_PER_WINDOW} writes or sends in a window).
   */
  public enum Granularity { PER_OP, WINDOW, ADAPTIVE }

  /** Adaptive mode: a channel's producer operations in its current window, and whether the last window was busy. */
  private static final class ChannelRate {
    long windowStartNanos;
    int produces;
    boolean busy;
  }

  /** Beyond this many channels, rates start over (a channel then counts as quiet until it is busy again). */
  private static final int MAX_RATES = 65_536;
  private final Map<io.ipcscope.collector.model.ChannelKey, ChannelRate> rates = new HashMap<>();

  private static final int MAX_LINKS = 32;
  /** Producers whose consumers have not come yet; beyond this the oldest are forgotten (their consumers are roots). */
  private static final int MAX_OPEN_PRODUCERS = 262_144;

  /** A span that others may continue, and how many producer-consumer hops its trace took to reach it. */
  private record Hop(SpanContext context, int hops) {}

  private record LastConsumed(Hop hop, long atNanos) {}

  private final ProcessResources resources;
  private final long epochOffsetNanos;
  private final Options options;
  private final SpanIds ids;
  private final Consumer<SpanData> sink;
  private final Map<Integer, LastConsumed> lastConsumedByThread = new HashMap<>();
  private String lastTraceId = "";
  private SpanContext lastContext = SpanContext.getInvalid();
  private final Map<IpcEvent, Hop> openProducers = new IdentityHashMap<>();
  private final Map<IpcEvent, Boolean> producerAge = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<IpcEvent, Boolean> eldest) {
      if (size() > MAX_OPEN_PRODUCERS) {
        openProducers.remove(eldest.getKey());
        return true;
      }
      return false;
    }
  };
  /** Open windows, oldest first: a window is reinserted when it rolls over, so the head closes first. */
  private final Map<SpanWindow.Key, SpanWindow> windows = new LinkedHashMap<>();
  private long spans;
  private long lastThreadSweep;

  /**
   * @param epochOffsetNanos wall-clock epoch nanoseconds minus CLOCK_MONOTONIC nanoseconds: kernel times plus this
   *     are span times
   */
  public SpanFactory(ProcessResources resources, long epochOffsetNanos, Options options, Consumer<SpanData> sink) {
    this.resources = resources;
    this.epochOffsetNanos = epochOffsetNanos;
    this.options = options;
    this.ids = new SpanIds(options.seed());
    this.sink = sink;
  }

  @Override
  public void accept(CausalEvent c) {
    accept(c, null);
  }

  /**
   * Makes the event's span, joined to {@code jvm}: the span of the JVM operation (the Java agent's, docs/AGENT.md)
   * that made this kernel operation, or null. A producer becomes that span's child, in its trace, instead of
   * continuing what its thread consumed; a consumer stays its producer's child and gets a link to it.
   *
   * @return whether the event's span took the join: false without {@code jvm}, and for a producer that went into a
   *     window already open (the window's parent was decided by its first operation)
   */
  public boolean accept(CausalEvent c, SpanContext jvm) {
    lastTraceId = "";
    lastContext = SpanContext.getInvalid();
    return switch (c.role()) {
      case PRODUCER -> produce(c, jvm);
      case CONSUMER -> consume(c, jvm);
      case NONE -> false;
    };
  }

  public long spans() {
    return spans;
  }

  ProcessResources resources() {
    return resources;
  }

  long seed() {
    return options.seed();
  }

  /** The trace of the span the last accepted operation went into (its own, or its window's); empty for none. */
  public String lastTraceId() {
    return lastTraceId;
  }

  /** The span the last accepted operation went into (its own, or its window's); invalid for none. */
  public SpanContext lastContext() {
    return lastContext;
  }

  /** Time passes (monotonic, the kernel's clock): windows that are over are emitted. No-op per operation. */
  public void flush(long nowNanos) {
    if (nowNanos - lastThreadSweep > options.chainWindowNanos()) {
      // a thread's last consume older than the chain window continues nothing: forget it (thread ids are many)
      lastThreadSweep = nowNanos;
      lastConsumedByThread.values().removeIf(last -> nowNanos - last.atNanos() > options.chainWindowNanos());
    }
    for (var it = windows.values().iterator(); it.hasNext(); ) {
      SpanWindow w = it.next();
      if (nowNanos - w.openedNanos < options.windowNanos()) {
        break;
      }
      it.remove();
      emit(w);
    }
  }

  /** End of the stream: every open window is emitted. */
  public void drain() {
    windows.values().forEach(this::emit);
    windows.clear();
  }

  /** Windows not yet emitted. */
  public int openWindows() {
    return windows.size();
  }

  /** What a thread's produce at {@code atNanos} continues: the trace of what it consumed last, or nothing. */
  private Hop continued(int tid, long atNanos) {
    LastConsumed last = options.chain() ? lastConsumedByThread.get(tid) : null;
    boolean continues = last != null && atNanos - last.atNanos() <= options.chainWindowNanos()
        && last.hop().hops() < options.maxHops();
    return continues ? last.hop() : null;
  }

  /** Whether this event's span goes into a window: always, never, or (adaptive) when its channel is busy. */
  private boolean windowed(CausalEvent c) {
    return switch (options.granularity()) {
      case PER_OP -> false;
      case WINDOW -> true;
      case ADAPTIVE -> busy(c);
    };
  }

  private boolean busy(CausalEvent c) {
    var channel = c.resolved().channel();
    if (channel == null) {
      return false; // signals: never many per second between two processes
    }
    long now = c.resolved().event().tsNanos();
    ChannelRate rate = rates.get(channel);
    if (rate == null) {
      if (rates.size() >= MAX_RATES) {
        rates.clear();
      }
      rate = new ChannelRate();
      rate.windowStartNanos = now;
      rates.put(channel, rate);
    }
    if (now - rate.windowStartNanos >= options.windowNanos()) {
      rate.busy = rate.produces > Options.BUSY_PRODUCES_PER_WINDOW;
      rate.produces = 0;
      rate.windowStartNanos = now;
    }
    if (c.role() == Role.PRODUCER) {
      rate.produces++;
    }
    return rate.busy || rate.produces > Options.BUSY_PRODUCES_PER_WINDOW;
  }

  private boolean produce(CausalEvent c, SpanContext jvm) {
    IpcEvent e = c.resolved().event();
    if (windowed(c)) {
      return produceInWindow(c, jvm);
    }
    Hop last = jvm != null ? null : continued(e.tid(), e.tsNanos());
    boolean continues = last != null;
    SpanContext parent = jvm != null ? jvm : continues ? last.context() : SpanContext.getInvalid();
    String traceId = parent.isValid() ? parent.getTraceId() : ids.traceId();
    SpanContext context = context(traceId);
    lastTraceId = traceId;
    lastContext = context;
    openProducers.put(e, new Hop(context, continues ? last.hops() : 0));
    producerAge.put(e, Boolean.TRUE);
    Attributes attributes = new DeferredAttributes(() -> {
      AttributesBuilder a = common(c.resolved(), "send");
      if (c.backlogBytes() > 0) {
        a.put(IpcAttributes.BACKLOG_BYTES, c.backlogBytes());
      }
      return a.build();
    });
    long at = e.tsNanos() + epochOffsetNanos;
    emit(c.resolved(), SpanKind.PRODUCER, context, parent, at, at, attributes, List.of());
    return jvm != null;
  }

  private boolean consume(CausalEvent c, SpanContext jvm) {
    IpcEvent e = c.resolved().event();
    if (windowed(c)) {
      return consumeInWindow(c, jvm);
    }
    Producers found = producersOf(c);
    SpanContext parent = found.parent() == null ? SpanContext.getInvalid() : found.parent().context();
    int hops = found.parent() == null ? 0 : found.parent().hops() + 1;
    List<LinkData> links = new ArrayList<>();
    if (jvm != null) {
      links.add(LinkData.create(jvm));
    }
    for (Hop other : found.others()) {
      if (links.size() < MAX_LINKS) {
        links.add(LinkData.create(other.context()));
      }
    }
    long firstProduced = found.firstProducedNanos();
    SpanContext context = context(parent.isValid() ? parent.getTraceId() : ids.traceId());
    lastTraceId = context.getTraceId();
    lastContext = context;
    lastConsumedByThread.put(e.tid(), new LastConsumed(new Hop(context, hops), e.tsNanos()));
    long latency = e.tsNanos() - firstProduced;
    Attributes attributes = new DeferredAttributes(() -> {
      AttributesBuilder a = common(c.resolved(), "receive")
          .put(IpcAttributes.PAIRING, c.pairing().name().toLowerCase(Locale.ROOT));
      if (c.unobservedBytes() > 0) {
        a.put(IpcAttributes.UNOBSERVED_BYTES, c.unobservedBytes());
      }
      if (c.pairing() != Pairing.UNOBSERVED) {
        a.put(IpcAttributes.LATENCY_NS, latency);
      }
      return a.build();
    });
    // The span covers the time the data waited for its reader: from the first producer's completion to this one's.
    emit(c.resolved(), SpanKind.CONSUMER, context, parent, firstProduced + epochOffsetNanos,
        e.tsNanos() + epochOffsetNanos, attributes, links);
    return jvm != null;
  }

  private boolean produceInWindow(CausalEvent c, SpanContext jvm) {
    ResolvedEvent r = c.resolved();
    IpcEvent e = r.event();
    SpanWindow.Key key = new SpanWindow.Key(SpanKind.PRODUCER, e.pid(), e.startNanos(), 0, 0, e.op(), r.channel(),
        destination(r));
    SpanWindow w = current(key, e.tsNanos());
    boolean joined = false;
    if (w == null) {
      Hop last = jvm != null ? null : continued(e.tid(), e.tsNanos());
      SpanContext parent = jvm != null ? jvm : last == null ? SpanContext.getInvalid() : last.context();
      w = open(key, r, parent, last == null ? 0 : last.hops(), e.tsNanos());
      joined = jvm != null;
    }
    w.add(r, e.tsNanos());
    lastTraceId = w.context.getTraceId();
    lastContext = w.context;
    w.maxBacklogBytes = Math.max(w.maxBacklogBytes, c.backlogBytes());
    openProducers.put(e, new Hop(w.context, w.hops));
    producerAge.put(e, Boolean.TRUE);
    return joined;
  }

  private boolean consumeInWindow(CausalEvent c, SpanContext jvm) {
    ResolvedEvent r = c.resolved();
    IpcEvent e = r.event();
    Producers found = producersOf(c);
    Hop parent = found.parent();
    IpcEvent parentEvent = found.parentEvent();
    List<Hop> others = found.others();
    long firstProduced = found.firstProducedNanos();
    SpanWindow.Key key = new SpanWindow.Key(SpanKind.CONSUMER, e.pid(), e.startNanos(),
        parentEvent == null ? 0 : parentEvent.pid(), parentEvent == null ? 0 : parentEvent.startNanos(), e.op(),
        r.channel(), destination(r));
    SpanWindow w = current(key, e.tsNanos());
    if (w == null) {
      w = open(key, r, parent == null ? SpanContext.getInvalid() : parent.context(),
          parent == null ? 0 : parent.hops() + 1, firstProduced);
    } else if (parent != null) {
      w.link(parent.context(), MAX_LINKS); // the producer's window rolled over while this one stayed open
    }
    for (Hop other : others) {
      w.link(other.context(), MAX_LINKS);
    }
    if (jvm != null) {
      w.link(jvm, MAX_LINKS);
    }
    w.add(r, firstProduced);
    lastTraceId = w.context.getTraceId();
    lastContext = w.context;
    w.pairing(c.pairing());
    w.unobservedBytes += c.unobservedBytes();
    if (c.pairing() != Pairing.UNOBSERVED) {
      w.maxLatencyNanos = Math.max(w.maxLatencyNanos, e.tsNanos() - firstProduced);
    }
    lastConsumedByThread.put(e.tid(), new LastConsumed(new Hop(w.context, w.hops), e.tsNanos()));
    return jvm != null;
  }

  /**
   * What a consumer took from, as far as spans were made for it: the producer of its first byte (its parent), the
   * others (its links), and when the first of them returned.
   */
  private record Producers(Hop parent, IpcEvent parentEvent, List<Hop> others, long firstProducedNanos) {}

  private Producers producersOf(CausalEvent c) {
    Hop parent = null;
    IpcEvent parentEvent = null;
    List<Hop> others = new ArrayList<>();
    long firstProduced = c.resolved().event().tsNanos();
    for (Cause cause : c.causes()) {
      // a producer whose bytes are all taken is done with; one still being read stays open for the next read
      Hop producer = cause.last() ? openProducers.remove(cause.producer()) : openProducers.get(cause.producer());
      if (cause.last()) {
        producerAge.remove(cause.producer());
      }
      if (producer == null) {
        continue;
      }
      firstProduced = Math.min(firstProduced, cause.producer().tsNanos());
      if (parent == null) {
        parent = producer;
        parentEvent = cause.producer();
      } else {
        others.add(producer);
      }
    }
    return new Producers(parent, parentEvent, others, firstProduced);
  }

  /** The key's window if it is still open at {@code atNanos}; one that is over is emitted and forgotten. */
  private SpanWindow current(SpanWindow.Key key, long atNanos) {
    SpanWindow w = windows.get(key);
    if (w != null && atNanos - w.openedNanos >= options.windowNanos()) {
      windows.remove(key);
      emit(w);
      return null;
    }
    return w;
  }

  private SpanWindow open(SpanWindow.Key key, ResolvedEvent first, SpanContext parent, int hops, long startNanos) {
    SpanContext context = context(parent.isValid() ? parent.getTraceId() : ids.traceId());
    SpanWindow w = new SpanWindow(key, first, context, parent, hops, startNanos);
    windows.put(key, w);
    return w;
  }

  /** A window's span: the first operation's attributes, with the window's counts and totals in place of its own. */
  private void emit(SpanWindow w) {
    boolean consumer = w.key.kind() == SpanKind.CONSUMER;
    AttributesBuilder a = common(w.first, consumer ? "receive" : "send")
        .put(IpcAttributes.WINDOW_OPERATIONS, w.operations);
    if (w.first.event().mechanism() != Mechanism.SIGNAL) {
      a.put(IpcAttributes.MESSAGING_BODY_SIZE, w.bytes);
    }
    if (consumer) {
      a.put(IpcAttributes.PAIRING, w.pairing.name().toLowerCase(Locale.ROOT));
      if (w.unobservedBytes > 0) {
        a.put(IpcAttributes.UNOBSERVED_BYTES, w.unobservedBytes);
      }
      if (w.maxLatencyNanos >= 0) {
        a.put(IpcAttributes.LATENCY_NS, w.maxLatencyNanos);
      }
    } else if (w.maxBacklogBytes > 0) {
      a.put(IpcAttributes.BACKLOG_BYTES, w.maxBacklogBytes);
    }
    if (w.failed > 0) {
      a.put(IpcAttributes.WINDOW_FAILED, w.failed);
    }
    IpcEvent e = w.first.event();
    String name = e.op().id() + " " + w.key.destination();
    spans++;
    sink.accept(new IpcSpan(name, w.key.kind(), w.context, w.parent, w.startNanos + epochOffsetNanos,
        w.endNanos + epochOffsetNanos, a.build(), w.links, w.failed > 0 ? StatusData.error() : StatusData.unset(),
        resources.of(e.pid(), e.startNanos(), w.first.comm())));
  }

  private SpanContext context(String traceId) {
    return SpanContext.create(traceId, ids.spanId(), TraceFlags.getSampled(), TraceState.getDefault());
  }

  private AttributesBuilder common(ResolvedEvent r, String operationType) {
    IpcEvent e = r.event();
    AttributesBuilder a = Attributes.builder()
        .put(IpcAttributes.MESSAGING_SYSTEM, e.mechanism().id())
        .put(IpcAttributes.MESSAGING_OPERATION_TYPE, operationType)
        .put(IpcAttributes.MESSAGING_OPERATION_NAME, e.op().id())
        .put(IpcAttributes.MESSAGING_DESTINATION, destination(r))
        .put(IpcAttributes.THREAD_ID, e.tid())
        .put(IpcAttributes.MECHANISM, e.mechanism().id());
    String transport = transport(e.mechanism());
    if (transport != null) {
      a.put(IpcAttributes.NETWORK_TRANSPORT, transport);
    }
    if (r.channel() != null) {
      a.put(IpcAttributes.CHANNEL, r.channel().display());
    }
    if (e.mechanism() == Mechanism.SIGNAL) {
      a.put(IpcAttributes.SIGNAL, SignalNames.name(e.aux()));
    } else {
      a.put(IpcAttributes.MESSAGING_BODY_SIZE, e.bytes());
      if (e.fd() >= 0) {
        a.put(IpcAttributes.FD, e.fd());
      }
    }
    if (r.peerPid() != 0) {
      a.put(IpcAttributes.PEER_PID, r.peerPid());
      if (!r.peerComm().isEmpty()) {
        a.put(IpcAttributes.PEER_COMM, r.peerComm());
      }
      if (r.peerGuessed()) {
        a.put(IpcAttributes.PEER_GUESSED, true);
      }
    }
    return a;
  }

  /** What users call the destination: a FIFO's or queue's or socket's name, else the channel; a signal's name. */
  static String destination(ResolvedEvent r) {
    if (r.event().mechanism() == Mechanism.SIGNAL) {
      return SignalNames.name(r.event().aux());
    }
    if (!r.path().isEmpty()) {
      return r.path();
    }
    return r.channel() == null ? r.event().mechanism().id() : r.channel().display();
  }

  private static String transport(Mechanism m) {
    return switch (m) {
      case PIPE, FIFO -> "pipe";
      case UNIX_SOCKET -> "unix";
      case TCP -> "tcp";
      case UDP -> "udp";
      default -> null;
    };
  }

  private void emit(ResolvedEvent r, SpanKind kind, SpanContext context, SpanContext parent, long start, long end,
      Attributes attributes, List<LinkData> links) {
    IpcEvent e = r.event();
    String name = e.op().id() + " " + destination(r);
    StatusData status = e.failed() ? StatusData.error() : StatusData.unset();
    spans++;
    sink.accept(new IpcSpan(name, kind, context, parent, start, end, attributes, links, status,
        resources.of(e.pid(), e.startNanos(), r.comm())));
  }
}
