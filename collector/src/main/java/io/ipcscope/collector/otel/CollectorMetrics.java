package io.ipcscope.collector.otel;

import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.TalkGraph;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Metrics, read when the SDK's reader asks: per edge (bytes, operations, latency, back-pressure) and the collector's
 * own health. The loop that owns the model publishes snapshots; the reader's thread only reads them.
 */
public final class CollectorMetrics {

  private static final AttributeKey<String> MECHANISM = AttributeKey.stringKey("ipc.mechanism");
  private static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("ipc.channel");
  private static final AttributeKey<Long> FROM_PID = AttributeKey.longKey("ipc.from.pid");
  private static final AttributeKey<String> FROM_COMM = AttributeKey.stringKey("ipc.from.comm");
  private static final AttributeKey<Long> TO_PID = AttributeKey.longKey("ipc.to.pid");
  private static final AttributeKey<String> TO_COMM = AttributeKey.stringKey("ipc.to.comm");
  private static final AttributeKey<Long> CPU = AttributeKey.longKey("cpu.logical_number");

  private final Supplier<CollectorHealth> health;
  private final Supplier<TalkGraph.Snapshot> graph;

  public CollectorMetrics(Meter meter, Supplier<CollectorHealth> health, Supplier<TalkGraph.Snapshot> graph) {
    this.health = health;
    this.graph = graph;
    edgeCounter(meter, "ipc.edge.bytes", "By", "Bytes consumers took from producers, per edge", Edge::bytes);
    edgeCounter(meter, "ipc.edge.operations", "{operation}", "Consumer operations (reads, receives, deliveries) per edge",
        Edge::messages);
    edgeGauge(meter, "ipc.edge.latency.mean", "ns", "Mean time from a producer's completion to its consumer's",
        Edge::latencyMeanNanos);
    edgeGauge(meter, "ipc.edge.latency.max", "ns", "Longest time from a producer's completion to its consumer's",
        Edge::latencyMaxNanos);
    edgeGauge(meter, "ipc.edge.backlog.max", "By", "Highest fill level of the channel (bytes written, not yet read)",
        Edge::maxBacklogBytes);

    counter(meter, "ipcscope.collector.events", "{event}", "Kernel records processed", CollectorHealth::events);
    meter.counterBuilder("ipcscope.collector.events.lost").setUnit("{event}")
        .setDescription("Records lost because the ring buffer was full, per CPU")
        .buildWithCallback(m -> {
          long[] perCpu = health.get().lostPerCpu();
          for (int cpu = 0; cpu < perCpu.length; cpu++) {
            m.record(perCpu[cpu], Attributes.of(CPU, (long) cpu));
          }
        });
    counter(meter, "ipcscope.collector.spans.exported", "{span}", "Spans the backend accepted",
        CollectorHealth::spansExported);
    counter(meter, "ipcscope.collector.spans.failed", "{span}", "Spans whose export failed", CollectorHealth::spansFailed);
    counter(meter, "ipcscope.collector.spans.dropped", "{span}", "Spans dropped because the export queue was full",
        CollectorHealth::spansDropped);
    counter(meter, "ipcscope.collector.unobserved_bytes", "By", "Bytes consumed whose producer was not observed",
        CollectorHealth::unobservedBytes);
    counter(meter, "ipcscope.collector.edges.evicted", "{edge}", "Edges forgotten after being idle",
        CollectorHealth::evictedEdges);
    counter(meter, "ipcscope.collector.processes.evicted", "{process}", "Exited processes forgotten",
        CollectorHealth::evictedProcesses);
    counter(meter, "ipcscope.collector.channels.evicted", "{channel}", "Channels forgotten once nobody held them",
        CollectorHealth::evictedChannels);
    gauge(meter, "ipcscope.collector.span_queue.size", "{span}", "Spans waiting for export", h -> h.spanQueue());
    gauge(meter, "ipcscope.collector.model.processes", "{process}", "Processes in the model", h -> h.processes());
    gauge(meter, "ipcscope.collector.model.channels", "{channel}", "Channels in the model", h -> h.channels());
    gauge(meter, "ipcscope.collector.model.edges", "{edge}", "Edges in the model", h -> h.edges());
    gauge(meter, "ipcscope.collector.causal.pending", "{event}", "Events waiting for their producers' records",
        h -> h.causalPending());
    gauge(meter, "ipcscope.collector.agents.connected", "{agent}", "JVM agents connected", h -> h.agents().connected());
    counter(meter, "ipcscope.collector.agents.rejected", "{agent}", "JVM agents refused (a pid not their own...)",
        h -> h.agents().rejected());
    counter(meter, "ipcscope.collector.agents.operations", "{operation}",
        "Operations JVM agents reported, one by one and in summaries", h -> h.agents().ops());
    counter(meter, "ipcscope.collector.agents.bytes", "By", "Bytes the operations JVM agents reported moved",
        h -> h.agents().bytes());
    counter(meter, "ipcscope.collector.agents.summaries", "{summary}",
        "Summaries of operations JVM agents folded per stream and window", h -> h.agents().summaries());
    counter(meter, "ipcscope.collector.agents.joined", "{operation}", "JVM operations joined with a kernel span",
        h -> h.agents().joined());
    counter(meter, "ipcscope.collector.agents.unjoined", "{operation}", "JVM transfers and kills no kernel span joined",
        h -> h.agents().unjoined());
    counter(meter, "ipcscope.collector.agents.hold_timeouts", "{event}",
        "Kernel events that stopped waiting for their agent's report", h -> h.agents().holdTimeouts());
  }

  private void counter(Meter meter, String name, String unit, String description, ToLongFunction<CollectorHealth> f) {
    meter.counterBuilder(name).setUnit(unit).setDescription(description)
        .buildWithCallback(m -> m.record(f.applyAsLong(health.get())));
  }

  private void gauge(Meter meter, String name, String unit, String description, ToLongFunction<CollectorHealth> f) {
    meter.gaugeBuilder(name).ofLongs().setUnit(unit).setDescription(description)
        .buildWithCallback(m -> m.record(f.applyAsLong(health.get())));
  }

  private void edgeCounter(Meter meter, String name, String unit, String description, ToLongFunction<Edge> f) {
    meter.counterBuilder(name).setUnit(unit).setDescription(description).buildWithCallback(m -> recordEdges(m, f));
  }

  private void edgeGauge(Meter meter, String name, String unit, String description, ToLongFunction<Edge> f) {
    meter.gaugeBuilder(name).ofLongs().setUnit(unit).setDescription(description)
        .buildWithCallback(m -> recordEdges(m, f));
  }

  private void recordEdges(ObservableLongMeasurement m, ToLongFunction<Edge> f) {
    TalkGraph.Snapshot snapshot = graph.get();
    Map<Object, ProcessNode> nodes = new HashMap<>();
    for (ProcessNode n : snapshot.nodes()) {
      nodes.put(n.key(), n);
    }
    for (Edge e : snapshot.edges()) {
      AttributesBuilder a = Attributes.builder().put(MECHANISM, e.mechanism().id())
          .put(FROM_PID, e.key().from().pid()).put(TO_PID, e.key().to().pid());
      if (e.key().channel() != null) {
        a.put(CHANNEL, e.key().channel().display());
      }
      ProcessNode from = nodes.get(e.key().from());
      ProcessNode to = nodes.get(e.key().to());
      if (from != null && !from.comm().isEmpty()) {
        a.put(FROM_COMM, from.comm());
      }
      if (to != null && !to.comm().isEmpty()) {
        a.put(TO_COMM, to.comm());
      }
      m.record(f.applyAsLong(e), a.build());
    }
  }
}
