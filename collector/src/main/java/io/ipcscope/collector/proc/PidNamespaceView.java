package io.ipcscope.collector.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;

/**
 * One process as it sees itself from its own pid namespace (a pod's, a container's), translated to the pids of
 * ours: the kernel's events carry the pids and thread ids of the collector's namespace, while a JVM in a pod knows
 * only those of its pod (its own pid is often 1). /proc tells both: the {@code NSpid} line of a task's status lists
 * its id in every namespace from /proc's own down to the task's, and {@code ns/pid} names the task's namespace.
 *
 * <p>Lookups are cached. An id not known yet costs one rescan (of the process's threads for a thread id, of /proc
 * for a process id); one that is still not found is remembered as unknown for {@value #UNKNOWN_FOR_MILLIS} ms, so
 * a thread that has ended, or a peer that never existed, costs one rescan a second, however often it is named.
 * Ids are recycled only after the namespace's whole pid range: an entry is trusted until then.
 *
 * <p>Not thread-safe: each agent connection has its own, used by the agent socket's thread.
 */
public final class PidNamespaceView {

  static final long UNKNOWN_FOR_MILLIS = 1_000;
  /** Rescans allowed a second, whatever an agent names: a broken or hostile one cannot make us read /proc flat out. */
  static final int RESCANS_PER_SECOND = 50;
  private static final int MAX_KNOWN = 65_536;

  private final Path procRoot;
  private final int pid;
  private final int ownPid;
  private final boolean sharesOurs;
  private final String namespace;
  private final LongSupplier clockMillis;
  private final Ids threads = new Ids(this::rescanThreads);
  private final Ids processes = new Ids(this::rescanProcesses);
  private long rescanWindowStart;
  private int rescansInWindow;

  private PidNamespaceView(Path procRoot, int pid, List<Integer> nsPids, String namespace,
      LongSupplier clockMillis) {
    this.procRoot = procRoot;
    this.pid = pid;
    this.ownPid = nsPids.get(nsPids.size() - 1);
    this.sharesOurs = nsPids.size() == 1;
    this.namespace = namespace;
    this.clockMillis = clockMillis;
    processes.known.put(ownPid, pid);
  }

  /**
   * Process {@code pid} (of our namespace) as it sees itself, or empty when it is gone or /proc does not say
   * (a kernel before 4.1 has no NSpid).
   */
  public static Optional<PidNamespaceView> of(Path procRoot, int pid) {
    return of(procRoot, pid, System::currentTimeMillis);
  }

  static Optional<PidNamespaceView> of(Path procRoot, int pid, LongSupplier clockMillis) {
    Path dir = procRoot.resolve(Integer.toString(pid));
    List<Integer> ids = nsPids(dir.resolve("status"));
    String namespace = namespaceOf(dir);
    if (ids.isEmpty() || namespace == null) {
      return Optional.empty();
    }
    return Optional.of(new PidNamespaceView(procRoot, pid, ids, namespace, clockMillis));
  }

  /** The process's pid in our namespace. */
  public int pid() {
    return pid;
  }

  /** The process's pid in its own namespace: what {@code getpid()} tells it. */
  public int ownPid() {
    return ownPid;
  }

  /** Whether the process lives in our pid namespace, where its ids are ours and need no translation. */
  public boolean sharesOurs() {
    return sharesOurs;
  }

  /** Our id of the process's thread {@code ownTid} (as the thread knows itself), if the thread still lives. */
  public OptionalInt thread(int ownTid) {
    return threads.lookup(ownTid);
  }

  /** Our pid of the process {@code ownPid} of the same namespace, if it still lives. */
  public OptionalInt process(int ownPid) {
    return processes.lookup(ownPid);
  }

  private boolean mayRescan(long now) {
    if (now - rescanWindowStart >= 1_000) {
      rescanWindowStart = now;
      rescansInWindow = 0;
    }
    return ++rescansInWindow <= RESCANS_PER_SECOND;
  }

  /** Every thread of the process: each one's NSpid ends with its id in the process's namespace. */
  private void rescanThreads() {
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(procRoot.resolve(pid + "/task"))) {
      for (Path task : tasks) {
        record(threads.known, task);
      }
    } catch (IOException | RuntimeException e) {
      // the process ended: nothing to add
    }
  }

  /** Every process of /proc in the same namespace (its {@code ns/pid} is the same). */
  private void rescanProcesses() {
    for (int other : new ProcScanner(procRoot).pids()) {
      Path dir = procRoot.resolve(Integer.toString(other));
      if (namespace.equals(namespaceOf(dir))) {
        record(processes.known, dir);
      }
    }
  }

  private static void record(Map<Integer, Integer> into, Path dir) {
    List<Integer> ids = nsPids(dir.resolve("status"));
    if (into.size() >= MAX_KNOWN) {
      into.clear(); // a JVM that has started a great many short threads: those alive are found again on demand
    }
    if (ids.size() >= 2) {
      into.put(ids.get(ids.size() - 1), ids.get(0));
    } else if (ids.size() == 1) {
      into.put(ids.get(0), ids.get(0));
    }
  }

  /** The task's ids from /proc's namespace down to its own, or empty when it is gone. */
  static List<Integer> nsPids(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("NSpid:")) {
          return Arrays.stream(line.substring(6).trim().split("\\s+")).map(Integer::valueOf).toList();
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone, or no NSpid: nothing known
    }
    return List.of();
  }

  /** {@code pid:[4026531836]}, naming the task's pid namespace; null when it is gone or we may not look. */
  private static String namespaceOf(Path dir) {
    try {
      return Files.readSymbolicLink(dir.resolve("ns/pid")).toString();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** One kind of id (threads of the process, or processes of its namespace): those known, and those not found. */
  private final class Ids {
    final Map<Integer, Integer> known = new HashMap<>();
    private final Map<Integer, Long> unknownUntil = new HashMap<>();
    private final Runnable rescan;

    Ids(Runnable rescan) {
      this.rescan = rescan;
    }

    OptionalInt lookup(int id) {
      if (sharesOurs) {
        return OptionalInt.of(id);
      }
      Integer ours = known.get(id);
      if (ours != null) {
        return OptionalInt.of(ours);
      }
      long now = clockMillis.getAsLong();
      Long until = unknownUntil.get(id);
      if ((until != null && now < until) || !mayRescan(now)) {
        return OptionalInt.empty();
      }
      rescan.run();
      ours = known.get(id);
      if (ours != null) {
        unknownUntil.remove(id);
        return OptionalInt.of(ours);
      }
      if (unknownUntil.size() >= 4_096) {
        unknownUntil.values().removeIf(u -> u <= now);
      }
      unknownUntil.put(id, now + UNKNOWN_FOR_MILLIS);
      return OptionalInt.empty();
    }
  }
}
