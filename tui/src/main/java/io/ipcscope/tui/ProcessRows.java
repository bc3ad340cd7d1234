package io.ipcscope.tui;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.event.Mechanism;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Processes view's rows: each talking process's traffic in and out, per mechanism, as a tree by parent. */
final class ProcessRows {

  private ProcessRows() {}

  /** A process's traffic between the last two frames. */
  private static final class Traffic {
    double inBytes;
    double outBytes;
    double messages;
    /** Per mechanism: in, out (bytes/s, or msgs/s for mechanisms that move no bytes). */
    final Map<Mechanism, double[]> byMechanism = new EnumMap<>(Mechanism.class);

    void add(Mechanism m, boolean in, double rate) {
      byMechanism.computeIfAbsent(m, k -> new double[2])[in ? 0 : 1] += rate;
    }

    /** "pipe 1.2K/0, unix 80/80": busiest first. */
    String perMechanism() {
      return byMechanism.entrySet().stream()
          .sorted(Comparator.comparingDouble((Map.Entry<Mechanism, double[]> e) -> e.getValue()[0] + e.getValue()[1])
              .reversed().thenComparing(Map.Entry::getKey))
          .map(e -> TopRenderer.mechanismName(e.getKey()) + " " + Units.count(e.getValue()[0]) + "/"
              + Units.count(e.getValue()[1]))
          .collect(Collectors.joining(", "));
    }
  }

  static List<ProcessRow> of(TalkGraph.Snapshot graph, Map<EdgeKey, EdgeHistory> histories, RowFilter filter,
      SortKey sort) {
    Map<ProcessKey, Traffic> traffic = new LinkedHashMap<>();
    Map<ProcessKey, ProcessNode> nodes = new HashMap<>();
    for (ProcessNode n : graph.nodes()) {
      traffic.put(n.key(), new Traffic());
      nodes.put(n.key(), n);
    }
    for (Edge e : graph.edges()) {
      if (!filter.includes(e.mechanism())) {
        continue;
      }
      EdgeHistory h = histories.get(e.key());
      // Signals, semaphores, locks and shared memory move no bytes: their traffic is operations.
      double rate = e.bytes() > 0 ? h.bytesPerSec : h.messagesPerSec;
      Traffic out = traffic.computeIfAbsent(e.key().from(), k -> new Traffic());
      Traffic in = traffic.computeIfAbsent(e.key().to(), k -> new Traffic());
      out.outBytes += h.bytesPerSec;
      in.inBytes += h.bytesPerSec;
      out.messages += h.messagesPerSec;
      in.messages += h.messagesPerSec;
      out.add(e.mechanism(), false, rate);
      in.add(e.mechanism(), true, rate);
    }
    List<ProcessRow> flat = new ArrayList<>();
    traffic.forEach((key, t) -> {
      if (key.pid() == 0 || t.byMechanism.isEmpty()) {
        return; // the unobserved writer is not a process; one with no traffic of the chosen family is not shown
      }
      ProcessNode n = nodes.get(key);
      String comm = n == null || n.comm().isEmpty() ? "?" : n.comm();
      String perMechanism = t.perMechanism();
      if (filter.matches(comm, Integer.toString(key.pid()), perMechanism)) {
        flat.add(new ProcessRow(key, comm, n == null ? 0 : n.parentPid(), 0, n != null && n.jvm(), t.inBytes,
            t.outBytes, t.messages, perMechanism));
      }
    });
    Comparator<ProcessRow> primary = sort == SortKey.MESSAGE_RATE
        ? Comparator.comparingDouble(ProcessRow::messagesPerSec)
        : Comparator.comparingDouble((ProcessRow p) -> p.inBytesPerSec() + p.outBytesPerSec());
    return ProcessTree.of(flat, primary.reversed().thenComparingInt(ProcessRow::pid));
  }
}
