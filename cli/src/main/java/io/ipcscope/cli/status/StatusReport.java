package io.ipcscope.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human summary of a collector snapshot: pure text from JSON, so it is tested without a socket. */
final class StatusReport {

  static final int TOP_EDGES = 10;

  private StatusReport() {}

  static String render(JsonNode s) {
    JsonNode h = s.path("health");
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "collector  %s on %s, pid %d, up %s%n", s.path("version").asText(),
        s.path("host").asText(), s.path("pid").asLong(), duration(s.path("uptime_ms").asLong())));
    out.append(String.format(Locale.ROOT, "events     %s/s now, %d in all%n",
        rate(s.path("events_per_second").asDouble()), h.path("events").asLong()));
    out.append(String.format(Locale.ROOT, "lost       %d%s%n", h.path("lost").asLong(), perCpu(h.path("lost_per_cpu"))));
    out.append(String.format(Locale.ROOT, "spans      %d made, %d exported, %d failed, %d dropped, %d queued%n",
        h.path("spans_made").asLong(), h.path("spans_exported").asLong(), h.path("spans_failed").asLong(),
        h.path("spans_dropped").asLong(), h.path("span_queue").asLong()));
    out.append(String.format(Locale.ROOT, "model      %d processes, %d channels, %d edges (%d evicted), "
            + "%d events waiting for their cause%n", h.path("processes").asLong(), h.path("channels").asLong(),
        h.path("edges").asLong(), h.path("evicted_edges").asLong(), h.path("causal_pending").asLong()));
    agents(h.path("agents"), out);
    topEdges(s.path("graph"), out);
    return out.toString();
  }

  /** JVM agents (docs/AGENT.md): shown once one has knocked. */
  private static void agents(JsonNode a, StringBuilder out) {
    if (a.path("welcomed").asLong() + a.path("rejected").asLong() + a.path("bad_lines").asLong() == 0) {
      return;
    }
    out.append(String.format(Locale.ROOT, "agents     %d connected (%d in all, %d refused), %d operations, %d bytes, "
            + "%d summaries: %d joined, %d unjoined, %d dropped, %d bad lines; %d kernel events held (%d timed out)%n",
        a.path("connected").asLong(), a.path("welcomed").asLong(), a.path("rejected").asLong(),
        a.path("ops").asLong(), a.path("bytes").asLong(), a.path("summaries").asLong(), a.path("joined").asLong(),
        a.path("unjoined").asLong(), a.path("ops_dropped").asLong(), a.path("bad_lines").asLong(),
        a.path("held").asLong(), a.path("hold_timeouts").asLong()));
  }

  private static void topEdges(JsonNode graph, StringBuilder out) {
    Map<String, String> labels = new HashMap<>();
    for (JsonNode n : graph.path("nodes")) {
      labels.put(n.path("id").asText(), label(n));
    }
    List<JsonNode> edges = new ArrayList<>();
    graph.path("edges").forEach(edges::add);
    if (edges.isEmpty()) {
      out.append("\nno edges yet: nothing has talked to anything since the collector started\n");
      return;
    }
    edges.sort(Comparator.<JsonNode>comparingLong(e -> e.path("bytes").asLong()).reversed()
        .thenComparing(Comparator.<JsonNode>comparingLong(e -> e.path("messages").asLong()).reversed()));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"FROM", "", "TO", "MECHANISM", "CHANNEL", "BYTES", "OPS"});
    for (JsonNode e : edges.subList(0, Math.min(TOP_EDGES, edges.size()))) {
      String path = e.path("path").asText("");
      rows.add(new String[] {labels.getOrDefault(e.path("from").asText(), e.path("from").asText()),
          e.path("directed").asBoolean() ? "->" : "--", labels.getOrDefault(e.path("to").asText(),
          e.path("to").asText()), e.path("mechanism").asText(), !path.isEmpty() ? path
          : e.path("channel").isNull() ? "-" : e.path("channel").asText(), Long.toString(e.path("bytes").asLong()),
          Long.toString(e.path("messages").asLong())});
    }
    out.append(String.format(Locale.ROOT, "%ntop %d of %d edges by bytes%n", rows.size() - 1, edges.size()));
    table(rows, out);
  }

  /** Left-aligned columns, numbers (the last two) right-aligned. */
  private static void table(List<String[]> rows, StringBuilder out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String format = i >= row.length - 2 ? "%" + widths[i] + "s" : "%-" + widths[i] + "s";
        line.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, row[i]));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static String label(JsonNode node) {
    long pid = node.path("pid").asLong();
    if (pid == 0) {
      return "(not observed)";
    }
    String comm = node.path("comm").asText("");
    return (comm.isEmpty() ? "?" : comm) + "[" + pid + "]";
  }

  private static String perCpu(JsonNode lostPerCpu) {
    StringBuilder cpus = new StringBuilder();
    for (int cpu = 0; cpu < lostPerCpu.size(); cpu++) {
      long n = lostPerCpu.get(cpu).asLong();
      if (n > 0) {
        cpus.append(cpus.length() == 0 ? " (" : ", ").append("cpu").append(cpu).append(": ").append(n);
      }
    }
    return cpus.length() == 0 ? "" : cpus.append(')').toString();
  }

  private static String rate(double perSecond) {
    return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond)
        : String.format(Locale.ROOT, "%.1f", perSecond);
  }

  /** "3d 4h", "2h 5m", "4m 10s", "12s". */
  static String duration(long millis) {
    long s = millis / 1000;
    if (s >= 86_400) {
      return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
    }
    if (s >= 3600) {
      return (s / 3600) + "h " + (s % 3600 / 60) + "m";
    }
    if (s >= 60) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return s + "s";
  }
}
