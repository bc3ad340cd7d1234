package io.ipcscope.demo;

import java.util.List;

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

  /**
   * What a run leaves behind when the demo is killed with SIGKILL, for {@code demo --cleanup}: by
   * default the run's temp dir ({@link Run#tempDir}); a workload that makes objects elsewhere (a
   * message queue) lists them too, found by the naming its own run uses.
   */
  default List<Leftovers> leftovers() {
    return List.of(Run.tempDirs(name()));
  }

  /**
   * Whether the workload takes --duration (continuous mode). One that does not fails its run with
   * --duration, and {@code demo all --duration} leaves it out.
   */
  default boolean takesDuration() {
    return true;
  }

  /** Child side, in a JVM started by {@link Run#startChild}: play {@code role}. */
  default void child(String role, ChildContext child) throws Exception {
    throw new IllegalArgumentException("workload " + name() + " has no child role " + role);
  }
}
