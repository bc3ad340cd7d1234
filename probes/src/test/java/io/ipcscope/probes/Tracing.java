package io.ipcscope.probes;

import io.ipcscope.probes.event.IpcEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a child process while polling a session, and returns what was seen. */
final class Tracing {
  private Tracing() {}

  /**
   * Like {@link #whileRunning}, keeping only the events of the command's own process tree (followed through the
   * fork records), so that a process of the same name elsewhere on the host cannot disturb the test.
   */
  static List<IpcEvent> ofTree(ProbeSession session, String... command) throws IOException, InterruptedException {
    long[] root = new long[1];
    List<IpcEvent> all = run(session, pid -> root[0] = pid, command);
    java.util.Set<Integer> tree = new java.util.HashSet<>(List.of((int) root[0]));
    List<IpcEvent> mine = new ArrayList<>();
    for (IpcEvent e : all) {
      if (tree.contains(e.pid())) {
        mine.add(e);
        if (e.mechanism() == io.ipcscope.probes.event.Mechanism.PROCESS
            && e.op() == io.ipcscope.probes.event.Operation.FORK) {
          tree.add(e.peerPid());
        }
      }
    }
    return mine;
  }

  static List<IpcEvent> whileRunning(ProbeSession session, String... command)
      throws IOException, InterruptedException {
    return run(session, pid -> {}, command);
  }

  private static List<IpcEvent> run(ProbeSession session, java.util.function.LongConsumer started, String... command)
      throws IOException, InterruptedException {
    List<IpcEvent> events = new ArrayList<>();
    while (session.poll(e -> {}, 0) > 0) {
      // start from an empty ring: other processes on the host may have filled it while the probes loaded
    }
    Process p = new ProcessBuilder(command)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    started.accept(p.pid());
    while (p.isAlive()) {
      session.poll(events::add, 20);
    }
    if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue());
    }
    drainFor(session, events, 200);
    return events;
  }

  /** Polls for {@code millis} more: records submitted without a wakeup are picked up by the next drain. */
  static void drainFor(ProbeSession session, List<IpcEvent> into, long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      session.poll(into::add, 20);
    }
  }
}
