package io.ipcscope.cli.graph;

import io.ipcscope.cli.trace.JsonFormatter;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.TalkGraph;
import java.util.Locale;

/**
 * Writes the who-talks-to-whom graph as text: JSON (the shape scripts read), Graphviz dot, or Mermaid. svg and png
 * are dot run through Graphviz ({@link Graphviz}).
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
    return switch (this) {
      case JSON -> json(graph, epochOffsetNanos);
      case MERMAID -> mermaid(graph);
      case DOT, SVG, PNG -> dot(graph);
    };
  }

  static String json(TalkGraph.Snapshot graph, long epochOffsetNanos) {
    StringBuilder out = new StringBuilder(256 + 256 * graph.edges().size());
    out.append("{\"nodes\":[");
    String sep = "";
    for (ProcessNode n : graph.nodes()) {
      out.append(sep).append("{\"id\":");
      quoted(out, n.id());
      out.append(",\"pid\":").append(n.key().pid()).append(",\"comm\":");
      quoted(out, n.comm());
      if (!n.exe().isEmpty()) {
        out.append(",\"exe\":");
        quoted(out, n.exe());
      }
      if (n.parentPid() != 0) {
        out.append(",\"ppid\":").append(n.parentPid());
      }
      if (!n.details().commandLine().isEmpty()) {
        out.append(",\"cmdline\":");
        quoted(out, n.details().commandLine());
      }
      if (n.details().uid() >= 0) {
        out.append(",\"uid\":").append(n.details().uid());
      }
      if (!n.details().containerId().isEmpty()) {
        out.append(",\"container_id\":");
        quoted(out, n.details().containerId());
      }
      if (n.jvm()) {
        out.append(",\"jvm\":true");
      }
      out.append(",\"start_ticks\":").append(n.key().startTicks()).append('}');
      sep = ",";
    }
    out.append("],\"edges\":[");
    sep = "";
    for (Edge e : graph.edges()) {
      out.append(sep).append("{\"from\":");
      quoted(out, node(e, true).id());
      out.append(",\"to\":");
      quoted(out, node(e, false).id());
      out.append(",\"mechanism\":");
      quoted(out, e.mechanism().id());
      out.append(",\"channel\":");
      if (e.key().channel() == null) {
        out.append("null");
      } else {
        quoted(out, e.key().channel().display());
      }
      if (!e.path().isEmpty()) {
        out.append(",\"path\":");
        quoted(out, e.path());
      }
      out.append(",\"directed\":").append(e.directed())
          .append(",\"bytes\":").append(e.bytes())
          .append(",\"messages\":").append(e.messages());
      if (e.unobservedBytes() > 0) {
        out.append(",\"unobserved_bytes\":").append(e.unobservedBytes());
      }
      if (e.latencyCount() > 0) {
        out.append(",\"latency_mean_ns\":").append(e.latencyMeanNanos())
            .append(",\"latency_max_ns\":").append(e.latencyMaxNanos());
      }
      if (e.maxBacklogBytes() > 0) {
        out.append(",\"max_backlog_bytes\":").append(e.maxBacklogBytes());
      }
      out.append(",\"first_seen_ns\":").append(e.firstNanos() + epochOffsetNanos)
          .append(",\"last_seen_ns\":").append(e.lastNanos() + epochOffsetNanos).append('}');
      sep = ",";
    }
    return out.append("]}\n").toString();
  }

  private static void quoted(StringBuilder out, String s) {
    out.append('"');
    JsonFormatter.escape(s, out);
    out.append('"');
  }

  private static ProcessNode node(Edge e, boolean from) {
    return new ProcessNode(from ? e.key().from() : e.key().to(), "", "", 0);
  }

  static String dot(TalkGraph.Snapshot graph) {
    StringBuilder out = new StringBuilder("digraph ipcscope {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n");
    for (ProcessNode n : graph.nodes()) {
      out.append("  ").append(dotId(n)).append(" [label=").append(dotString(n.label())).append("];\n");
    }
    for (Edge e : graph.edges()) {
      out.append("  ").append(dotId(node(e, true))).append(" -> ").append(dotId(node(e, false)))
          .append(" [label=").append(dotString(edgeLabel(e)));
      if (!e.directed()) {
        out.append(", dir=none, style=dashed");
      }
      out.append("];\n");
    }
    return out.append("}\n").toString();
  }

  static String mermaid(TalkGraph.Snapshot graph) {
    StringBuilder out = new StringBuilder("flowchart LR\n");
    for (ProcessNode n : graph.nodes()) {
      out.append("  ").append(mermaidId(n)).append("[\"").append(mermaidText(n.label())).append("\"]\n");
    }
    for (Edge e : graph.edges()) {
      out.append("  ").append(mermaidId(node(e, true))).append(e.directed() ? " -->|\"" : " ---|\"")
          .append(mermaidText(edgeLabel(e))).append("\"| ").append(mermaidId(node(e, false))).append('\n');
    }
    return out.toString();
  }

  /** "pipe pipe:[123] 5 msgs 120 B": what an arrow says. */
  static String edgeLabel(Edge e) {
    String channel = !e.path().isEmpty() ? e.path() : e.key().channel() == null ? "" : e.key().channel().display();
    StringBuilder label = new StringBuilder(e.mechanism().id());
    if (!channel.isEmpty() && !channel.startsWith(e.mechanism().id())) {
      label.append(' ').append(channel);
    } else if (!channel.isEmpty()) {
      label.append(' ').append(channel.substring(channel.indexOf(':') + 1));
    }
    label.append("\\n").append(e.messages()).append(e.messages() == 1 ? " op" : " ops");
    if (e.bytes() > 0) {
      label.append(", ").append(e.bytes()).append(" B");
    }
    return label.toString();
  }

  private static String dotId(ProcessNode n) {
    return "\"p" + n.id() + "\"";
  }

  private static String dotString(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n") + "\"";
  }

  private static String mermaidId(ProcessNode n) {
    return "p" + n.id().replace('@', '_');
  }

  /** Mermaid has no escapes inside quotes but entity codes. */
  private static String mermaidText(String s) {
    return s.replace("\"", "#quot;").replace("\\n", "<br/>");
  }
}
