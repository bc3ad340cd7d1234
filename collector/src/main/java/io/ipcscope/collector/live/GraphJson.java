package io.ipcscope.collector.live;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.ChannelView;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.SignalFlow;
import io.ipcscope.collector.talk.TalkGraph;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The who-talks-to-whom graph as JSON, the one shape both {@code ipcscope graph --format json} and the live socket
 * write (docs/LIVE-API.md): {@code {"nodes":[...],"edges":[...],"channels":[...],"signals":[...]}}, {@code signals}
 * only when there are any, so a graph without signals reads as it always did. Times are epoch nanoseconds.
 */
public final class GraphJson {

  static final JsonFactory FACTORY = new JsonFactory();

  private GraphJson() {}

  /** The graph as one JSON object and a newline. */
  public static String toJson(TalkGraph.Snapshot graph, long epochOffsetNanos) {
    StringWriter out = new StringWriter(256 + 256 * graph.edges().size());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      write(g, graph, epochOffsetNanos);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.append('\n').toString();
  }

  static void write(JsonGenerator g, TalkGraph.Snapshot graph, long epochOffsetNanos) throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("nodes");
    for (ProcessNode n : graph.nodes()) {
      node(g, n);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("edges");
    for (Edge e : graph.edges()) {
      edge(g, e, epochOffsetNanos);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("channels");
    for (ChannelView c : ChannelView.of(graph)) {
      channel(g, c);
    }
    g.writeEndArray();
    if (!graph.signals().isEmpty()) {
      g.writeArrayFieldStart("signals");
      for (SignalFlow s : graph.signals()) {
        signal(g, s, epochOffsetNanos);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** One signal flow: its counters always (a script sums them without checking), latency when measured. */
  static void signal(JsonGenerator g, SignalFlow s, long epochOffsetNanos) throws IOException {
    g.writeStartObject();
    g.writeStringField("from", id(s.from()));
    g.writeStringField("to", id(s.to()));
    g.writeNumberField("signal", s.signal());
    g.writeStringField("name", s.name());
    g.writeNumberField("sent", s.sent());
    g.writeNumberField("queued", s.queued());
    g.writeNumberField("blocked", s.blocked());
    g.writeNumberField("ignored", s.ignored());
    g.writeNumberField("merged", s.merged());
    g.writeNumberField("failed", s.failed());
    g.writeNumberField("delivered", s.delivered());
    if (s.latencyCount() > 0) {
      g.writeNumberField("latency_count", s.latencyCount());
      g.writeNumberField("latency_mean_ns", s.latencyMeanNanos());
      g.writeNumberField("latency_max_ns", s.latencyMaxNanos());
    }
    g.writeNumberField("first_seen_ns", s.firstNanos() + epochOffsetNanos);
    g.writeNumberField("last_seen_ns", s.lastNanos() + epochOffsetNanos);
    g.writeEndObject();
  }

  static void node(JsonGenerator g, ProcessNode n) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", n.id());
    g.writeNumberField("pid", n.key().pid());
    g.writeStringField("comm", n.comm());
    if (!n.exe().isEmpty()) {
      g.writeStringField("exe", n.exe());
    }
    if (n.parentPid() != 0) {
      g.writeNumberField("ppid", n.parentPid());
    }
    if (!n.details().commandLine().isEmpty()) {
      g.writeStringField("cmdline", n.details().commandLine());
    }
    if (n.details().uid() >= 0) {
      g.writeNumberField("uid", n.details().uid());
    }
    if (!n.details().containerId().isEmpty()) {
      g.writeStringField("container_id", n.details().containerId());
    }
    if (n.jvm()) {
      g.writeBooleanField("jvm", true);
    }
    g.writeNumberField("start_ticks", n.key().startTicks());
    g.writeEndObject();
  }

  /** A channel and the processes at its ends, by role ({@link ChannelView}). */
  static void channel(JsonGenerator g, ChannelView c) throws IOException {
    g.writeStartObject();
    g.writeStringField("channel", c.channel().display());
    g.writeStringField("mechanism", c.mechanism().id());
    if (!c.path().isEmpty()) {
      g.writeStringField("path", c.path());
    }
    g.writeArrayFieldStart("endpoints");
    for (ChannelView.Endpoint end : c.endpoints()) {
      g.writeStartObject();
      g.writeStringField("node", id(end.process()));
      g.writeStringField("role", end.role());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("bytes", c.bytes());
    g.writeNumberField("messages", c.messages());
    if (c.maxBacklogBytes() > 0) {
      g.writeNumberField("max_backlog_bytes", c.maxBacklogBytes());
    }
    g.writeEndObject();
  }

  static void edge(JsonGenerator g, Edge e, long epochOffsetNanos) throws IOException {
    g.writeStartObject();
    keyFields(g, e.key());
    if (!e.path().isEmpty()) {
      g.writeStringField("path", e.path());
    }
    g.writeBooleanField("directed", e.directed());
    g.writeNumberField("bytes", e.bytes());
    g.writeNumberField("messages", e.messages());
    if (e.unobservedBytes() > 0) {
      g.writeNumberField("unobserved_bytes", e.unobservedBytes());
    }
    if (e.latencyCount() > 0) {
      g.writeNumberField("latency_mean_ns", e.latencyMeanNanos());
      g.writeNumberField("latency_max_ns", e.latencyMaxNanos());
    }
    if (e.maxBacklogBytes() > 0) {
      g.writeNumberField("max_backlog_bytes", e.maxBacklogBytes());
    }
    g.writeNumberField("first_seen_ns", e.firstNanos() + epochOffsetNanos);
    g.writeNumberField("last_seen_ns", e.lastNanos() + epochOffsetNanos);
    g.writeEndObject();
  }

  /** from, to, mechanism, channel: what tells one edge from another, in an edge and in an eviction alike. */
  static void keyFields(JsonGenerator g, EdgeKey key) throws IOException {
    g.writeStringField("from", id(key.from()));
    g.writeStringField("to", id(key.to()));
    g.writeStringField("mechanism", key.mechanism().id());
    if (key.channel() == null) {
      g.writeNullField("channel");
    } else {
      g.writeStringField("channel", key.channel().display());
    }
  }

  /** A node id, {@code pid@start_ticks}, back into its process key. */
  static ProcessKey key(String id) {
    int at = id.indexOf('@');
    return new ProcessKey(Integer.parseInt(id.substring(0, at)), Long.parseLong(id.substring(at + 1)));
  }

  private static String id(ProcessKey key) {
    return new ProcessNode(key, "", "", 0).id();
  }
}
