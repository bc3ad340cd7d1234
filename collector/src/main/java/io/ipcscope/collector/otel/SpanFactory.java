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
 */
public final class SpanFactory implements Consumer<CausalEvent> {

  /** How spans are made. */
  public record Options(boolean chain, long chainWindowNanos, int maxHops, long seed) {

    /** A ping-pong that never stops would otherwise be one endless trace. */
    public static final int DEFAULT_MAX_HOPS = 16;

    public static Options defaults(long seed) {
      return new Options(true, 1_000_000_000L, DEFAULT_MAX_HOPS, seed);
    }
  }

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
  private long spans;

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
    switch (c.role()) {
      case PRODUCER -> produce(c);
      case CONSUMER -> consume(c);
      case NONE -> { }
    }
  }

  public long spans() {
    return spans;
  }

  private void produce(CausalEvent c) {
    IpcEvent e = c.resolved().event();
    LastConsumed last = options.chain() ? lastConsumedByThread.get(e.tid()) : null;
    boolean continues = last != null && e.tsNanos() - last.atNanos() <= options.chainWindowNanos()
        && last.hop().hops() < options.maxHops();
    SpanContext parent = continues ? last.hop().context() : SpanContext.getInvalid();
    String traceId = parent.isValid() ? parent.getTraceId() : ids.traceId();
    SpanContext context = context(traceId);
    openProducers.put(e, new Hop(context, continues ? last.hop().hops() : 0));
    producerAge.put(e, Boolean.TRUE);
    AttributesBuilder attributes = common(c.resolved(), "send");
    if (c.backlogBytes() > 0) {
      attributes.put(IpcAttributes.BACKLOG_BYTES, c.backlogBytes());
    }
    long at = e.tsNanos() + epochOffsetNanos;
    emit(c.resolved(), SpanKind.PRODUCER, context, parent, at, at, attributes.build(), List.of());
  }

  private void consume(CausalEvent c) {
    IpcEvent e = c.resolved().event();
    SpanContext parent = SpanContext.getInvalid();
    int hops = 0;
    List<LinkData> links = new ArrayList<>();
    long firstProduced = e.tsNanos();
    for (Cause cause : c.causes()) {
      Hop producer = cause.last() ? openProducers.remove(cause.producer()) : openProducers.get(cause.producer());
      if (cause.last()) {
        producerAge.remove(cause.producer());
      }
      if (producer == null) {
        continue;
      }
      firstProduced = Math.min(firstProduced, cause.producer().tsNanos());
      if (!parent.isValid()) {
        parent = producer.context();
        hops = producer.hops() + 1;
      } else if (links.size() < MAX_LINKS) {
        links.add(LinkData.create(producer.context()));
      }
    }
    SpanContext context = context(parent.isValid() ? parent.getTraceId() : ids.traceId());
    lastConsumedByThread.put(e.tid(), new LastConsumed(new Hop(context, hops), e.tsNanos()));
    AttributesBuilder attributes = common(c.resolved(), "receive")
        .put(IpcAttributes.PAIRING, c.pairing().name().toLowerCase(Locale.ROOT));
    if (c.unobservedBytes() > 0) {
      attributes.put(IpcAttributes.UNOBSERVED_BYTES, c.unobservedBytes());
    }
    if (c.pairing() != Pairing.UNOBSERVED) {
      attributes.put(IpcAttributes.LATENCY_NS, e.tsNanos() - firstProduced);
    }
    // The span covers the time the data waited for its reader: from the first producer's completion to this one's.
    emit(c.resolved(), SpanKind.CONSUMER, context, parent, firstProduced + epochOffsetNanos,
        e.tsNanos() + epochOffsetNanos, attributes.build(), links);
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
