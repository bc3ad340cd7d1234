package io.ipcscope.collector.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.otel.AgentHealth;
import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.collector.talk.SignalFlow;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.event.Mechanism;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A collector's snapshot (docs/LIVE-API.md) read back into the model's records, for a client that shows it (the
 * dashboard attached to a collector). Times stay epoch nanoseconds: the graph's times and {@code publishedNanos} are
 * on the same clock, which is all a client computing rates and ages needs.
 */
public final class SnapshotReader {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * A collector's snapshot: its graph and health, and when (epoch nanoseconds) it was published.
   *
   * @param events the recent operations asked for with {@code events_after}, oldest first (times in epoch
   *     nanoseconds); empty when none were asked for
   */
  public record RemoteSnapshot(TalkGraph.Snapshot graph, CollectorHealth health, long publishedNanos, String host,
      long seq, List<RecentEvent> events) {}

  private SnapshotReader() {}

  /** Reads one snapshot line; throws {@link IOException} for an error answer or text that is not a snapshot. */
  public static RemoteSnapshot read(String line) throws IOException {
    JsonNode root = JSON.readTree(line);
    if (!"snapshot".equals(root.path("type").asText())) {
      throw new IOException(root.path("type").asText().equals("error") ? root.path("error").asText()
          : "not a snapshot: " + root.path("type").asText("(no type)"));
    }
    List<RecentEvent> events = new ArrayList<>();
    for (JsonNode e : root.path("events")) {
      EventJson.read(e).ifPresent(events::add);
    }
    return new RemoteSnapshot(graph(root.path("graph")), health(root.path("health")),
        root.path("published_ns").asLong(), root.path("host").asText(), root.path("seq").asLong(), List.copyOf(events));
  }

  private static TalkGraph.Snapshot graph(JsonNode graph) {
    List<ProcessNode> nodes = new ArrayList<>();
    for (JsonNode n : graph.path("nodes")) {
      ProcessDetails details = new ProcessDetails(n.path("cmdline").asText(""), n.path("uid").asInt(-1), "");
      nodes.add(new ProcessNode(new ProcessKey(n.path("pid").asInt(), n.path("start_ticks").asLong()),
          n.path("comm").asText(""), n.path("exe").asText(""), n.path("ppid").asInt(0), details));
    }
    List<Edge> edges = new ArrayList<>();
    for (JsonNode e : graph.path("edges")) {
      Mechanism mechanism = Mechanism.fromId(e.path("mechanism").asText()).orElse(null);
      if (mechanism == null) {
        continue; // a mechanism this version does not know
      }
      ChannelKey channel = e.path("channel").isNull() ? null : ChannelKey.parse(e.path("channel").asText())
          .orElse(null);
      EdgeKey key = new EdgeKey(node(e.path("from").asText()), node(e.path("to").asText()), mechanism, channel);
      boolean latency = e.has("latency_mean_ns");
      edges.add(new Edge(key, e.path("path").asText(""), e.path("directed").asBoolean(true),
          e.path("messages").asLong(), e.path("bytes").asLong(), e.path("unobserved_bytes").asLong(),
          e.path("first_seen_ns").asLong(), e.path("last_seen_ns").asLong(), latency ? 1 : 0,
          e.path("latency_mean_ns").asLong(), e.path("latency_max_ns").asLong(), e.path("max_backlog_bytes").asLong()));
    }
    List<SignalFlow> signals = new ArrayList<>();
    for (JsonNode s : graph.path("signals")) {
      // the mean comes back as a sum over the count, so the flow's mean and the JSON written again are the same
      long latencies = s.path("latency_count").asLong();
      signals.add(new SignalFlow(node(s.path("from").asText()), node(s.path("to").asText()), s.path("signal").asInt(),
          s.path("sent").asLong(), s.path("queued").asLong(), s.path("blocked").asLong(), s.path("ignored").asLong(),
          s.path("merged").asLong(), s.path("failed").asLong(), s.path("delivered").asLong(),
          s.path("first_seen_ns").asLong(), s.path("last_seen_ns").asLong(), latencies,
          s.path("latency_mean_ns").asLong() * latencies, s.path("latency_max_ns").asLong()));
    }
    return new TalkGraph.Snapshot(List.copyOf(nodes), List.copyOf(edges), List.copyOf(signals));
  }

  private static ProcessKey node(String id) {
    return GraphJson.key(id);
  }

  private static CollectorHealth health(JsonNode h) {
    JsonNode perCpu = h.path("lost_per_cpu");
    long[] lost = new long[perCpu.size()];
    for (int i = 0; i < lost.length; i++) {
      lost[i] = perCpu.get(i).asLong();
    }
    return new CollectorHealth(h.path("events").asLong(), lost, h.path("spans_made").asLong(),
        h.path("spans_exported").asLong(), h.path("spans_failed").asLong(), h.path("spans_dropped").asLong(),
        h.path("span_queue").asInt(), h.path("processes").asInt(), h.path("channels").asInt(), h.path("edges").asInt(),
        h.path("evicted_edges").asLong(), h.path("evicted_processes").asLong(), h.path("evicted_channels").asLong(),
        h.path("causal_pending").asInt(), h.path("unobserved_bytes").asLong(), agents(h.path("agents")));
  }

  /** A collector older than the agent socket sends none: all zero. */
  private static AgentHealth agents(JsonNode a) {
    return new AgentHealth(a.path("connected").asInt(), a.path("welcomed").asLong(), a.path("rejected").asLong(),
        a.path("bad_lines").asLong(), a.path("ops").asLong(), a.path("bytes").asLong(), a.path("summaries").asLong(),
        a.path("ops_dropped").asLong(),
        a.path("joined").asLong(), a.path("unjoined").asLong(), a.path("held").asLong(),
        a.path("hold_timeouts").asLong());
  }
}
