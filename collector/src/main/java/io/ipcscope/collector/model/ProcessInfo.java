package io.ipcscope.collector.model;

/**
 * What is known about one process. Immutable: the table replaces the record when something changes.
 *
 * @param exitedNanos 0 while alive; the monotonic time of exit otherwise
 * @param exitStatus the raw wait status at exit
 */
public record ProcessInfo(
    ProcessKey key, int parentPid, String comm, String exe, long exitedNanos, int exitStatus) {

  public int pid() {
    return key.pid();
  }

  public boolean alive() {
    return exitedNanos == 0;
  }

  ProcessInfo withExec(String newComm, String newExe) {
    return new ProcessInfo(key, parentPid, newComm, newExe, exitedNanos, exitStatus);
  }

  ProcessInfo withExit(long nanos, int status) {
    return new ProcessInfo(key, parentPid, comm, exe, nanos, status);
  }

  ProcessInfo withComm(String newComm) {
    return newComm.equals(comm) ? this : new ProcessInfo(key, parentPid, newComm, exe, exitedNanos, exitStatus);
  }

  /** How users read a process: {@code comm[pid]}. */
  public String label() {
    return comm + "[" + key.pid() + "]";
  }
}
