package io.ipcscope.tui;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.ProcessNode;
import java.util.Map;

/** How the views name a process: {@code comm[pid]}, as the frame knows it. */
final class Labels {

  private Labels() {}

  static String of(Map<ProcessKey, ProcessNode> nodes, ProcessKey key) {
    ProcessNode n = nodes.get(key);
    if (n != null) {
      return n.label();
    }
    return key.pid() == 0 ? "(not observed)" : "?[" + key.pid() + "]";
  }
}
