package io.ipcscope.cli.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipcscope.collector.live.GraphJson;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.TalkGraph;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Writes the who-talks-to-whom graph as text: JSON (the shape scripts read, {@link GraphJson}), Graphviz dot, or
 * Mermaid, the last two drawn from the JSON so a live collector's graph draws the same. svg and png are dot run
 * through Graphviz ({@link Graphviz}).
 */
public enum GraphFormat {
  JSON,
  DOT,
  MERMAID,
  SVG,
  PNG;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The text of the graph; for svg and png, the dot source to hand to Graphviz. */
  public String render(TalkGraph.Snapshot graph, long epochOffsetNanos) {
    return render(GraphJson.toJson(graph, epochOffsetNanos));
  }

  /**
   * The text of a graph given in its JSON shape ({@link GraphJson}): the same drawing whether the graph comes from
   * this process's model or from a live collector's snapshot.
   */
  public String render(String graphJson) {
    if (this == JSON) {
      return graphJson;
    }
    JsonNode graph;
    try {
      graph = MAPPER.readTree(graphJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a graph: " + e.getOriginalMessage(), e);
    }
    return this == MERMAID ? mermaid(graph) : dot(graph);
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static String dot(JsonNode graph) {
    StringBuilder out = new StringBuilder("digraph ipcscope {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n");
    for (JsonNode n : drawn(graph)) {
      out.append("  ").append(dotId(n.path("id").asText())).append(" [label=").append(dotString(label(n)))
          .append("];\n");
    }
    for (JsonNode e : graph.path("edges")) {
      out.append("  ").append(dotId(e.path("from").asText())).append(" -> ").append(dotId(e.path("to").asText()))
          .append(" [label=").append(dotString(edgeLabel(e)));
      if (!e.path("directed").asBoolean()) {
        out.append(", dir=none, style=dashed");
      }
      out.append("];\n");
    }
    return out.append("}\n").toString();
  }

  static String mermaid(JsonNode graph) {
    StringBuilder out = new StringBuilder("flowchart LR\n");
    for (JsonNode n : drawn(graph)) {
      out.append("  ").append(mermaidId(n.path("id").asText())).append("[\"").append(mermaidText(label(n)))
          .append("\"]\n");
    }
    for (JsonNode e : graph.path("edges")) {
      out.append("  ").append(mermaidId(e.path("from").asText()))
          .append(e.path("directed").asBoolean() ? " -->|\"" : " ---|\"")
          .append(mermaidText(edgeLabel(e))).append("\"| ").append(mermaidId(e.path("to").asText())).append('\n');
    }
    return out.toString();
  }

  /**
   * The nodes some edge names. The JSON also lists the processes of signals nobody took (a SIGCHLD ignored, a
   * SIGTERM that killed): with no arrow to draw they would only be loose boxes.
   */
  private static List<JsonNode> drawn(JsonNode graph) {
    Set<String> ends = new HashSet<>();
    for (JsonNode e : graph.path("edges")) {
      ends.add(e.path("from").asText());
      ends.add(e.path("to").asText());
    }
    List<JsonNode> nodes = new ArrayList<>();
    graph.path("nodes").forEach(n -> {
      if (ends.contains(n.path("id").asText())) {
        nodes.add(n);
      }
    });
    return nodes;
  }

  /** {@code comm[pid]}, as {@link ProcessNode#label()} says it. */
  private static String label(JsonNode node) {
    return new ProcessNode(new ProcessKey(node.path("pid").asInt(), node.path("start_ticks").asLong()),
        node.path("comm").asText(""), "", 0).label();
  }

  /** "pipe pipe:[123] 5 msgs 120 B": what an arrow says. */
  static String edgeLabel(JsonNode e) {
    String mechanism = e.path("mechanism").asText();
    String path = e.path("path").asText("");
    String channel = !path.isEmpty() ? path : e.path("channel").isNull() ? "" : e.path("channel").asText("");
    StringBuilder label = new StringBuilder(mechanism);
    if (!channel.isEmpty() && !channel.startsWith(mechanism)) {
      label.append(' ').append(channel);
    } else if (!channel.isEmpty()) {
      label.append(' ').append(channel.substring(channel.indexOf(':') + 1));
    }
    long messages = e.path("messages").asLong();
    long bytes = e.path("bytes").asLong();
    label.append("\\n").append(messages).append(messages == 1 ? " op" : " ops");
    if (bytes > 0) {
      label.append(", ").append(bytes).append(" B");
    }
    return label.toString();
  }

  private static String dotId(String id) {
    return "\"p" + id + "\"";
  }

  private static String dotString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n") + "\"";
  }

  private static String mermaidId(String id) {
    return "p" + id.replace('@', '_');
  }

  /** Mermaid has no escapes inside quotes but entity codes. */
  private static String mermaidText(String s) {
    return s.replace("\"", "#quot;").replace("\\n", "<br/>");
  }
}
