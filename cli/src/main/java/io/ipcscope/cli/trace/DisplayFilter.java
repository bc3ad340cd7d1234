package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.Mechanism;
import java.util.Set;

/**
 * What the user asked to see. The kernel already filters IPC events by pid and comm; process lifecycle events are
 * always traced (every process must be named), so they are filtered here.
 */
final class DisplayFilter {

  private final Set<Mechanism> mechanisms;
  private final int pid;
  private final String comm;

  DisplayFilter(Set<Mechanism> mechanisms, int pid, String comm) {
    this.mechanisms = mechanisms;
    this.pid = pid;
    this.comm = comm;
  }

  boolean shows(ResolvedEvent r) {
    if (!mechanisms.contains(r.event().mechanism())) {
      return false;
    }
    if (pid != 0 && r.event().pid() != pid) {
      return false;
    }
    return comm.isEmpty() || comm.equals(r.event().comm()) || comm.equals(r.comm());
  }
}
