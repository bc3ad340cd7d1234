package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.HashSet;
import java.util.Set;

/**
 * What the user asked to see. The kernel already filters IPC events by pid and comm; process lifecycle events are
 * always traced (every process must be named), so they are filtered here.
 */
final class DisplayFilter {

  private static final int SELF = (int) ProcessHandle.current().pid();

  private final Set<Mechanism> mechanisms;
  private final ChannelTable channels;
  private final int pid;
  private final String comm;
  /** With {@code trace -- COMMAND}: the command's process tree, grown by its forks; empty: everything. */
  private final Set<Integer> followed = new HashSet<>();

  DisplayFilter(Set<Mechanism> mechanisms, int pid, String comm, ChannelTable channels) {
    this.channels = channels;
    this.mechanisms = mechanisms;
    this.pid = pid;
    this.comm = comm;
  }

  void follow(int root) {
    followed.add(root);
  }

  /** Called for every event in kernel order, shown or not, so the followed tree grows with each fork. */
  boolean shows(ResolvedEvent r) {
    if (r.channel() != null && (r.peerPid() == SELF || channels.isHeldBy(r.channel(), SELF))) {
      // Our own stdout or stderr: showing how a pager or grep reads our output would feed on itself forever.
      return false;
    }
    if (!followed.isEmpty()) {
      if (r.event().op() == Operation.FORK && followed.contains(r.event().pid())) {
        followed.add(r.event().peerPid());
      }
      boolean inTree = followed.contains(r.event().pid()) || followed.contains(r.peerPid());
      if (r.event().op() == Operation.EXIT && r.event().mechanism() == Mechanism.PROCESS) {
        followed.remove(r.event().pid()); // its pid may be reused by a stranger
      }
      if (!inTree) {
        return false;
      }
    }
    if (!mechanisms.contains(r.event().mechanism())) {
      return false;
    }
    if (pid != 0 && r.event().pid() != pid) {
      return false;
    }
    return comm.isEmpty() || comm.equals(r.event().comm()) || comm.equals(r.comm());
  }
}
