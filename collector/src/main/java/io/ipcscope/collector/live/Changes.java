package io.ipcscope.collector.live;

import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import java.util.List;

/**
 * What changed in the graph between two publications, as one watcher saw them.
 *
 * @param full true for a watcher's first update: everything is "added", relative to nothing
 * @param nodes processes new or changed (a comm learnt late, an exe) since the watcher's previous update
 * @param added edges the watcher has not seen
 * @param updated edges whose counters moved, with their new (cumulative) values
 * @param evicted edges gone from the model (idle too long)
 */
public record Changes(boolean full, List<ProcessNode> nodes, List<Edge> added, List<Edge> updated,
    List<EdgeKey> evicted) {}
