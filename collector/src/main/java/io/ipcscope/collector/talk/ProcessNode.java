package io.ipcscope.collector.talk;

import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.model.ProcessKey;

/**
 * A process at one end of an edge, as it was when last seen talking.
 *
 * @param key pid and start time; a process that was never seen itself (only named by a peer) has start 0
 * @param comm empty when unknown
 */
public record ProcessNode(ProcessKey key, String comm, String exe, int parentPid, ProcessDetails details) {

  /** A process known only by its identity and names. */
  public ProcessNode(ProcessKey key, String comm, String exe, int parentPid) {
    this(key, comm, exe, parentPid, ProcessDetails.UNKNOWN);
  }

  /**
   * Whether the process is a JVM: its executable is {@code java} (the ipcscope agent, when attached, says so
   * itself).
   */
  public boolean jvm() {
    return exe.endsWith("/java") || exe.equals("java");
  }

  /** Stable across a run and unique among processes: pid and start time in clock ticks since boot. */
  public String id() {
    return key.pid() + "@" + key.startTicks();
  }

  /** {@code comm[pid]}; "(not observed)" for the writer of bytes whose write was never seen. */
  public String label() {
    if (key.pid() == 0) {
      return "(not observed)";
    }
    return (comm.isEmpty() ? "?" : comm) + "[" + key.pid() + "]";
  }
}
