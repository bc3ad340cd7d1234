package io.ipcscope.collector.live;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.TalkGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph as one watcher last received it, so that its next update carries only what differs. Per watcher, not
 * per publication: a watcher with a longer interval skips publications and must still get every change.
 */
final class WatchView {

  private Map<EdgeKey, Edge> edges = Map.of();
  private Map<ProcessKey, ProcessNode> nodes = Map.of();
  private boolean first = true;

  /** The changes from what this view holds to {@code graph}; the view then holds {@code graph}. */
  Changes advance(TalkGraph.Snapshot graph) {
    Map<EdgeKey, Edge> nextEdges = new HashMap<>(graph.edges().size() * 2);
    List<Edge> added = new ArrayList<>();
    List<Edge> updated = new ArrayList<>();
    for (Edge e : graph.edges()) {
      nextEdges.put(e.key(), e);
      Edge before = edges.get(e.key());
      if (before == null) {
        added.add(e);
      } else if (!before.equals(e)) {
        updated.add(e);
      }
    }
    List<EdgeKey> evicted = new ArrayList<>();
    for (EdgeKey key : edges.keySet()) {
      if (!nextEdges.containsKey(key)) {
        evicted.add(key);
      }
    }
    evicted.sort(java.util.Comparator.comparing(EdgeKey::toString)); // reproducible output
    Map<ProcessKey, ProcessNode> nextNodes = new HashMap<>(graph.nodes().size() * 2);
    List<ProcessNode> changedNodes = new ArrayList<>();
    for (ProcessNode n : graph.nodes()) {
      nextNodes.put(n.key(), n);
      if (!n.equals(nodes.get(n.key()))) {
        changedNodes.add(n);
      }
    }
    Changes changes = new Changes(first, changedNodes, added, updated, evicted);
    edges = nextEdges;
    nodes = nextNodes;
    first = false;
    return changes;
  }
}
