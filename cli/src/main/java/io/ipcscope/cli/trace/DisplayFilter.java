package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the user asked to see. The kernel already filters IPC events by pid and comm; process lifecycle events are
 * always traced (every process must be named), so they are filtered here.
 */
final class DisplayFilter {

  private final Set<Mechanism> mechanisms;
  private final ChannelTable channels;
  /** The tracer's pid: its own output is not shown (the recording tracer's, in a replay). */
  private final int self;
  private final int pid;
  private final String comm;
  /**
   * With {@code trace -- COMMAND}: the command's process tree, grown by its forks, pid to start time (-1 until known);
   * empty: everything. Exited processes stay, matched by start time: a process still acts after its exit record
   * (closing its files releases its locks), while a stranger that reuses its pid has another start time.
   */
  private final Map<Integer, Long> followed = new HashMap<>();
  /** The tree's processes that have not exited: only they can be the peer of an event. */
  private final Set<Integer> alive = new HashSet<>();

  DisplayFilter(Set<Mechanism> mechanisms, int pid, String comm, ChannelTable channels, int self) {
    this.channels = channels;
    this.self = self;
    this.mechanisms = mechanisms;
    this.pid = pid;
    this.comm = comm;
  }

  void follow(int root) {
    followed.put(root, -1L);
    alive.add(root);
  }

  /** Called for every event in kernel order, shown or not, so the followed tree grows with each fork. */
  boolean shows(ResolvedEvent r) {
    if (r.channel() != null && (r.peerPid() == self || channels.isWrittenBy(r.channel(), self))) {
      // Our own stdout or stderr: showing how a pager or grep reads our output would feed on itself forever. (Our
      // stdin is another matter: `producer | ipcscope trace -- consumer` shows the consumer reading it.)
      return false;
    }
    if (!followed.isEmpty() && !inTree(r)) {
      return false;
    }
    if (!mechanisms.contains(r.event().mechanism())) {
      return false;
    }
    boolean signalToIt = r.event().mechanism() == Mechanism.SIGNAL && r.peerPid() == pid;
    if (pid != 0 && r.event().pid() != pid && !signalToIt) {
      return false; // a signal matches at either end, as the probes' filter does
    }
    return comm.isEmpty() || comm.equals(r.event().comm()) || comm.equals(r.comm())
        || (r.event().mechanism() == Mechanism.SIGNAL && comm.equals(r.peerComm()));
  }

  /** Whether the event's process or its peer belongs to the followed tree; grows and ages the tree as it goes. */
  private boolean inTree(ResolvedEvent r) {
    var e = r.event();
    Long start = followed.get(e.pid());
    boolean actorInTree = start != null && (start == -1L || start == e.startNanos());
    if (actorInTree && start == -1L && e.startNanos() != 0) {
      followed.put(e.pid(), e.startNanos());
    }
    if (e.mechanism() == Mechanism.PROCESS && actorInTree) {
      if (e.op() == Operation.FORK) {
        followed.put(r.event().peerPid(), e.extra()); // a fork record's extra is the child's start time
        alive.add(e.peerPid());
      } else if (e.op() == Operation.EXIT) {
        alive.remove(e.pid());
      }
    }
    return actorInTree || alive.contains(r.peerPid());
  }
}
