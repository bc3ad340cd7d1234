package io.ipcscope.tui;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders processes as a tree by parent, the way htop's tree view does: each process below its parent, siblings in
 * the view's sort order. A process whose parent is not shown (not talking, or filtered out) is a root.
 */
final class ProcessTree {

  private ProcessTree() {}

  static List<ProcessRow> of(List<ProcessRow> rows, Comparator<ProcessRow> siblings) {
    Map<Integer, ProcessRow> byPid = new HashMap<>();
    rows.forEach(r -> byPid.putIfAbsent(r.pid(), r));
    Map<Integer, List<ProcessRow>> children = new HashMap<>();
    List<ProcessRow> roots = new ArrayList<>();
    for (ProcessRow r : rows) {
      boolean hasParent = r.parentPid() != r.pid() && byPid.containsKey(r.parentPid())
          && byPid.get(r.parentPid()) != r;
      if (hasParent) {
        children.computeIfAbsent(r.parentPid(), k -> new ArrayList<>()).add(r);
      } else {
        roots.add(r);
      }
    }
    roots.sort(siblings);
    children.values().forEach(c -> c.sort(siblings));
    List<ProcessRow> out = new ArrayList<>(rows.size());
    Set<ProcessRow> shown = new HashSet<>();
    for (ProcessRow root : roots) {
      walk(root, 0, children, out, shown);
    }
    // Parents and children in a cycle (pids reused) have no root: they are shown as roots rather than lost.
    for (ProcessRow r : rows) {
      walk(r, 0, children, out, shown);
    }
    return List.copyOf(out);
  }

  private static void walk(ProcessRow r, int depth, Map<Integer, List<ProcessRow>> children, List<ProcessRow> out,
      Set<ProcessRow> shown) {
    if (!shown.add(r)) {
      return;
    }
    out.add(new ProcessRow(r.key(), r.comm(), r.parentPid(), depth, r.jvm(), r.inBytesPerSec(), r.outBytesPerSec(),
        r.messagesPerSec(), r.perMechanism()));
    for (ProcessRow child : children.getOrDefault(r.pid(), List.of())) {
      walk(child, depth + 1, children, out, shown);
    }
  }
}
