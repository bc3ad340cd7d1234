package io.ipcscope.collector;

import io.ipcscope.collector.flow.CausalEvent;
import io.ipcscope.collector.flow.CausalOrder;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.otel.ProcessResources;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.talk.TalkGraph;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.function.Consumer;

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
  private long events;
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
    Consumer<CausalEvent> fanOut = spans == null ? graph : graph.andThen(spans);
    this.order = new CausalOrder(causalHoldNanos, fanOut);
  }

  @Override
  public void accept(ResolvedEvent r) {
    events++;
    order.accept(r);
  }

  /** Time passes (monotonic): consumers that waited long enough for producers go on; idle edges are forgotten. */
  public void tick(long nowNanos) {
    order.flush(nowNanos);
    if (nowNanos - lastEviction > EDGE_TTL_NANOS / 10) {
      lastEviction = nowNanos;
      graph.evictIdle(nowNanos - EDGE_TTL_NANOS);
    }
  }

  /** End of the stream: everything still waiting goes on. */
  public void drain() {
    order.drain();
  }

  public TalkGraph graph() {
    return graph;
  }

  public CausalOrder causalOrder() {
    return order;
  }

  public long events() {
    return events;
  }

  public long spans() {
    return spans == null ? 0 : spans.spans();
  }
}
