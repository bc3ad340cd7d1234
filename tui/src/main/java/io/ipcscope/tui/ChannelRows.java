package io.ipcscope.tui;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.ChannelView;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.TalkGraph;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The Channels view's rows: each kernel object with its ends by role, its rate summed over its edges. */
final class ChannelRows {

  private ChannelRows() {}

  static List<ChannelRow> of(TalkGraph.Snapshot graph, Map<EdgeKey, EdgeHistory> histories, RowFilter filter,
      SortKey sort) {
    Map<ProcessKey, ProcessNode> nodes = new HashMap<>();
    graph.nodes().forEach(n -> nodes.put(n.key(), n));
    Map<ChannelKey, Double> rateByChannel = new HashMap<>();
    for (Edge e : graph.edges()) {
      if (e.key().channel() != null) {
        rateByChannel.merge(e.key().channel(), histories.get(e.key()).bytesPerSec, Double::sum);
      }
    }
    List<ChannelRow> rows = new ArrayList<>();
    for (ChannelView c : ChannelView.of(graph)) {
      String name = c.path() == null || c.path().isEmpty() ? c.channel().display() : c.path();
      String ends = c.endpoints().stream().map(p -> p.role() + " " + Labels.of(nodes, p.process()))
          .collect(Collectors.joining(", "));
      if (!filter.includes(c.mechanism()) || !filter.matches(name, c.channel().display(), c.mechanism().id(), ends)) {
        continue;
      }
      rows.add(new ChannelRow(c.channel(), name, c.mechanism(), ends, rateByChannel.getOrDefault(c.channel(), 0.0),
          c.bytes(), c.messages(), c.maxBacklogBytes()));
    }
    Comparator<ChannelRow> primary = switch (sort) {
      case MESSAGE_RATE -> Comparator.comparingLong(ChannelRow::messages);
      case TOTAL_BYTES -> Comparator.comparingLong(ChannelRow::bytes);
      case LATENCY, LAST_SEEN -> Comparator.comparingLong(ChannelRow::maxBacklogBytes);
      case BYTES_RATE -> Comparator.comparingDouble(ChannelRow::bytesPerSec);
    };
    rows.sort(primary.reversed().thenComparing(ChannelRow::channel));
    return List.copyOf(rows);
  }
}
