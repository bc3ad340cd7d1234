package io.ipcscope.demo;

/**
 * One demo workload: a few real processes talking over one IPC mechanism, with exact ground truth.
 *
 * <p>The parent side ({@link #run}) starts the processes through {@link Run}, which cleans them up
 * whatever happens, and records every channel and signal in it. Processes that are child JVMs play
 * a role in {@link #child}. To add a workload: one class implementing this, one line in
 * {@link Workloads}.
 */
public interface Workload {

  /** The subcommand name, "pipe". */
  String name();

  /** One line for {@code demo --list} and the subcommand's help. */
  String description();

  /** Parent side: start the processes, drive or await the traffic, record the truth in {@code run}. */
  void run(Run run) throws Exception;

  /** Child side, in a JVM started by {@link Run#startChild}: play {@code role}. */
  default void child(String role, ChildContext child) throws Exception {
    throw new IllegalArgumentException("workload " + name() + " has no child role " + role);
  }
}
