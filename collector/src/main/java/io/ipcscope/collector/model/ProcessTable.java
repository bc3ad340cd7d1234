package io.ipcscope.collector.model;

import io.ipcscope.probes.event.ExecPath;
import io.ipcscope.probes.event.IpcEvent;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Every process the tracer has heard of, named pid-reuse-safely, fed by fork/exec/exit events and by a /proc scan
 * at start. Exited processes are kept for {@link #EXITED_RETENTION_NANOS} so late events can still be named.
 * Not thread-safe: one consumer thread owns it.
 */
public final class ProcessTable {

  static final long EXITED_RETENTION_NANOS = 10_000_000_000L;

  private final Map<Integer, ProcessInfo> byPid = new HashMap<>();
  private final Map<Integer, ProcessDetails> details = new HashMap<>();
  private long evicted;

  public void seed(Collection<ProcessInfo> processes) {
    for (ProcessInfo p : processes) {
      byPid.putIfAbsent(p.pid(), p);
    }
  }

  /** Learns from any event: its actor, and for process events the lifecycle change. */
  public void apply(IpcEvent e) {
    if (e.pid() == 0) {
      return; // the kernel itself
    }
    // A thread's comm is its own name ("process reaper" in a JVM); only the leader's names the process.
    ProcessInfo actor = learn(e.pid(), e.startNanos(), e.comm(), e.tid() == e.pid());
    switch (e.op()) {
      case FORK -> {
        if (e.peerPid() != 0) {
          ProcessKey childKey = ProcessKey.fromKernel(e.peerPid(), e.extra());
          byPid.put(e.peerPid(), new ProcessInfo(childKey, e.pid(), actor.comm(), actor.exe(), 0, 0));
          details.put(e.peerPid(), details(e.pid()));
        }
      }
      case EXEC -> byPid.put(e.pid(), actor.withExec(e.comm(), ExecPath.file(e)));
      case EXIT -> {
        if (e.mechanism() == io.ipcscope.probes.event.Mechanism.PROCESS) {
          byPid.put(e.pid(), actor.withExit(e.tsNanos(), e.aux()));
        }
      }
      default -> { }
    }
  }

  private ProcessInfo learn(int pid, long startNanos, String comm, boolean fromLeader) {
    ProcessKey key = ProcessKey.fromKernel(pid, startNanos);
    ProcessInfo known = byPid.get(pid);
    if (known == null || (startNanos != 0 && !known.key().equals(key))) {
      ProcessInfo fresh = new ProcessInfo(key, 0, comm, "", 0, 0); // a thread's name until the leader shows up
      byPid.put(pid, fresh);
      if (known != null) {
        details.remove(pid); // a reused pid: nothing of its predecessor applies
      }
      return fresh;
    }
    ProcessInfo updated = comm.isEmpty() || !fromLeader ? known : known.withComm(comm);
    if (updated != known) {
      byPid.put(pid, updated);
    }
    return updated;
  }

  /**
   * After an exec: the command line the kernel recorded, and what the host could still tell of the process
   * ({@code fresh}: uid and cgroup from /proc; {@link ProcessDetails#UNKNOWN} when it is already gone).
   */
  public void execDetails(IpcEvent exec, ProcessDetails fresh) {
    details.put(exec.pid(), details(exec.pid()).afterExec(ExecPath.commandLine(exec), fresh));
  }

  /** What the host told of a process found at start. */
  public void seedDetails(int pid, ProcessDetails found) {
    details.put(pid, found);
  }

  /** The process's command line, owner and cgroup, as far as known. */
  public ProcessDetails details(int pid) {
    return details.getOrDefault(pid, ProcessDetails.UNKNOWN);
  }

  /** Every process known, in pid order (the order replays rely on). */
  public java.util.List<ProcessInfo> all() {
    return byPid.values().stream().sorted(java.util.Comparator.comparingInt(ProcessInfo::pid)).toList();
  }

  public Optional<ProcessInfo> get(int pid) {
    return Optional.ofNullable(byPid.get(pid));
  }

  public boolean isAlive(int pid) {
    ProcessInfo p = byPid.get(pid);
    return p != null && p.alive();
  }

  /** {@code comm} of a pid, or an empty string when unknown. */
  public String comm(int pid) {
    ProcessInfo p = byPid.get(pid);
    return p == null ? "" : p.comm();
  }

  /** Forgets processes that exited long enough ago. */
  public void prune(long nowNanos) {
    for (Iterator<ProcessInfo> it = byPid.values().iterator(); it.hasNext(); ) {
      ProcessInfo p = it.next();
      if (!p.alive() && nowNanos - p.exitedNanos() > EXITED_RETENTION_NANOS) {
        it.remove();
        evicted++;
        details.remove(p.pid());
      }
    }
  }

  /** Exited processes forgotten after {@link #EXITED_RETENTION_NANOS}, since the start. */
  public long evicted() {
    return evicted;
  }

  public int size() {
    return byPid.size();
  }
}
