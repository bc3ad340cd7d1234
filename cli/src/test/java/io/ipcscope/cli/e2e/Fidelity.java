package io.ipcscope.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.TruthChannel;
import io.ipcscope.demo.truth.TruthLock;
import io.ipcscope.demo.truth.TruthLockWait;
import io.ipcscope.demo.truth.TruthProcess;
import io.ipcscope.demo.truth.TruthSignal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compares what the tracer saw with a workload's ground truth, in units the truth states exactly: bytes written and
 * bytes read per declared channel direction, and for signals each send, generation and delivery. Only traffic
 * between two different processes of the workload counts; a process's traffic with itself or with the outside
 * (the test JVM) is not the workload's to declare.
 */
final class Fidelity {

  /** One row of the table: a mechanism of one workload. */
  record Row(String workload, String mechanism, String unit, long expected, long seen, long missing, long extra,
      List<String> problems) {

    double recall() {
      return expected == 0 ? 1.0 : (expected - missing) / (double) expected;
    }

    double precision() {
      long matched = expected - missing;
      return matched + extra == 0 ? 1.0 : matched / (double) (matched + extra);
    }
  }

  private static final Set<String> SOCKETS = Set.of("unix_socket", "tcp", "udp");

  private Fidelity() {}

  static List<Row> compare(GroundTruth truth, List<JsonNode> events) {
    Set<Long> pids = truth.processes().stream().map(TruthProcess::pid).collect(Collectors.toSet());
    List<JsonNode> between = events.stream()
        .filter(e -> pids.contains(e.path("pid").asLong()) && pids.contains(e.path("peer_pid").asLong()))
        .filter(e -> e.path("pid").asLong() != e.path("peer_pid").asLong())
        .toList();
    List<Row> rows = new ArrayList<>();
    for (String mechanism : List.of("pipe", "fifo", "sysv_mq", "posix_mq", "unix_socket", "tcp", "udp")) {
      List<TruthChannel> declared = truth.channels().stream().filter(c -> c.mechanism().equals(mechanism)).toList();
      List<JsonNode> seen = between.stream()
          .filter(e -> e.path("mechanism").asText().equals(mechanism) && e.path("bytes").asLong() > 0).toList();
      if (!declared.isEmpty() || !seen.isEmpty()) {
        rows.add(channels(truth.workload(), mechanism, declared, seen));
      }
    }
    if (!truth.locks().isEmpty() || !truth.lockWaits().isEmpty()) {
      rows.add(locks(truth, events));
    }
    if (!truth.sharedMemory().isEmpty()) {
      rows.add(sharedMemory(truth, events, pids));
    }
    if (!truth.semaphores().isEmpty()) {
      rows.add(semaphores(truth, events, pids));
    }
    if (!truth.fdPasses().isEmpty()) {
      rows.add(fdPasses(truth, between));
    }
    List<JsonNode> signals = between.stream().filter(e -> e.path("mechanism").asText().equals("signal")).toList();
    if (!truth.signals().isEmpty() || !signals.isEmpty()) {
      rows.add(signals(truth.workload(), truth.signals(), signals));
    }
    return rows;
  }

  /**
   * Bytes per (direction, actor, peer): what a declared channel direction should account for exactly. Byte streams
   * write and read, message queues and datagram sockets send and receive: both are "put" and "take" here.
   */
  private static Row channels(String workload, String mechanism, List<TruthChannel> declared, List<JsonNode> seen) {
    String put = "put";
    String take = "take";
    // two processes may talk over several sockets at once: each is told apart by its name
    boolean byName = SOCKETS.contains(mechanism);
    Map<String, long[]> observed = new HashMap<>(); // key -> {bytes, calls}
    for (JsonNode e : seen) {
      String op = e.path("op").asText();
      String direction = op.equals("write") || op.equals("send") ? put : take;
      String key = direction + ":" + e.path("pid").asLong() + ">" + e.path("peer_pid").asLong()
          + (byName ? "@" + e.path("path").asText() : "");
      long[] acc = observed.computeIfAbsent(key, k -> new long[2]);
      acc[0] += e.path("bytes").asLong();
      acc[1]++;
    }
    long expected = 0;
    long missing = 0;
    long extra = 0;
    List<String> problems = new ArrayList<>();
    for (TruthChannel c : declared) {
      String name = byName ? "@" + (c.path() == null ? "" : c.path()) : "";
      String write = put + ":" + c.writerPid() + ">" + c.readerPid() + name;
      String read = take + ":" + c.readerPid() + ">" + c.writerPid() + name;
      for (String key : List.of(write, read)) {
        long[] got = observed.remove(key);
        long bytes = got == null ? 0 : got[0];
        expected += c.bytes();
        missing += Math.max(0, c.bytes() - bytes);
        extra += Math.max(0, bytes - c.bytes());
        if (bytes != c.bytes()) {
          problems.add(c.name() + " " + key + ": " + bytes + " bytes, expected " + c.bytes());
        }
        if (key.equals(write) && c.messages() != null && (got == null ? 0 : got[1]) != c.messages()) {
          problems.add(c.name() + ": " + (got == null ? 0 : got[1]) + " " + put + "s, expected " + c.messages());
        }
      }
    }
    for (Map.Entry<String, long[]> undeclared : observed.entrySet()) {
      extra += undeclared.getValue()[0];
      problems.add("undeclared " + mechanism + " traffic " + undeclared.getKey() + ": " + undeclared.getValue()[0]
          + " bytes");
    }
    long seenBytes = seen.stream().mapToLong(e -> e.path("bytes").asLong()).sum();
    return new Row(workload, mechanism, "bytes", expected, seenBytes, missing, extra, problems);
  }

  /**
   * Lock acquisitions per process and kind, and among them those that slept behind another process of the workload,
   * named by their peer. Only the processes the truth declares count (a JVM may lock files of its own too).
   */
  private static Row locks(GroundTruth truth, List<JsonNode> events) {
    Set<Long> lockers = truth.locks().stream().map(TruthLock::pid).collect(Collectors.toSet());
    Map<String, Long> observed = events.stream()
        .filter(e -> e.path("mechanism").asText().equals("file_lock") && e.path("op").asText().equals("acquire"))
        .filter(e -> lockers.contains(e.path("pid").asLong()))
        .flatMap(e -> {
          String kind = e.path("lock_kind").asText();
          String acquire = "acquire:" + kind + ":" + e.path("pid").asLong();
          long peer = e.path("peer_pid").asLong();
          return peer == 0 ? java.util.stream.Stream.of(acquire)
              : java.util.stream.Stream.of(acquire, "waited:" + kind + ":" + e.path("pid").asLong() + ">" + peer);
        })
        .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
    Map<String, Long> declared = new HashMap<>();
    for (TruthLock l : truth.locks()) {
      declared.merge("acquire:" + l.kind() + ":" + l.pid(), l.acquires(), Long::sum);
    }
    for (TruthLockWait w : truth.lockWaits()) {
      declared.merge("waited:" + w.kind() + ":" + w.waiterPid() + ">" + w.holderPid(), w.count(), Long::sum);
    }
    Tally t = Tally.of(declared, observed);
    return new Row(truth.workload(), "file_lock", "acquires", t.expected(), t.expected() - t.missing() + t.extra(),
        t.missing(), t.extra(), t.problems());
  }

  /**
   * Mappings of each declared object (by path): how many attaches, and by whom. Objects that two processes of the
   * workload both mapped and the truth does not declare are extra, except POSIX semaphores' own files (sem_open maps
   * them: they are semaphores, compared as such).
   */
  private static Row sharedMemory(GroundTruth truth, List<JsonNode> events, Set<Long> pids) {
    List<JsonNode> attaches = events.stream()
        .filter(e -> e.path("op").asText().equals("attach") && e.path("result").asLong() == 0)
        .filter(e -> e.path("mechanism").asText().endsWith("_shm") && pids.contains(e.path("pid").asLong()))
        .filter(e -> !e.path("path").asText().startsWith("/dev/shm/sem."))
        .toList();
    Map<String, Long> observed = new HashMap<>();
    Map<String, Set<Long>> attachers = new HashMap<>();
    for (JsonNode e : attaches) {
      String path = e.path("path").asText();
      observed.merge("attaches:" + path, 1L, Long::sum);
      attachers.computeIfAbsent(path, k -> new java.util.TreeSet<>()).add(e.path("pid").asLong());
    }
    attachers.forEach((path, by) -> by.forEach(pid -> observed.put("attacher:" + path + ":" + pid, 1L)));
    Set<String> declaredPaths = truth.sharedMemory().stream().map(m -> m.path()).collect(Collectors.toSet());
    // an object only one process mapped is not shared between them (the demo JVM's own hsperfdata)
    attachers.forEach((path, by) -> {
      if (!declaredPaths.contains(path) && by.size() < 2) {
        observed.remove("attaches:" + path);
        by.forEach(pid -> observed.remove("attacher:" + path + ":" + pid));
      }
    });
    Map<String, Long> declared = new HashMap<>();
    for (var m : truth.sharedMemory()) {
      declared.merge("attaches:" + m.path(), m.attaches(), Long::sum);
      m.attacherPids().forEach(pid -> declared.put("attacher:" + m.path() + ":" + pid, 1L));
    }
    Tally t = Tally.of(declared, observed);
    return new Row(truth.workload(), "shared_memory", "attaches", t.expected(), t.expected() - t.missing() + t.extra(),
        t.missing(), t.extra(), t.problems());
  }

  /**
   * Semaphore operations per process and semaphore: posts and waits. A POSIX semaphore is named by its file
   * ({@code /dev/shm/sem.NAME}), a System V one by its set's key and number ({@code 0x...[N]}).
   */
  private static Row semaphores(GroundTruth truth, List<JsonNode> events, Set<Long> pids) {
    Map<String, Long> observed = events.stream()
        .filter(e -> e.path("mechanism").asText().equals("sem") && pids.contains(e.path("pid").asLong()))
        .filter(e -> e.path("op").asText().equals("post") || e.path("op").asText().equals("wait"))
        .filter(e -> e.path("result").asLong() >= 0)
        .collect(Collectors.groupingBy(e -> e.path("op").asText() + ":" + e.path("path").asText()
                + (e.has("sem_num") ? "[" + e.path("sem_num").asLong() + "]" : "") + ":" + e.path("pid").asLong(),
            Collectors.counting()));
    Map<String, Long> declared = new HashMap<>();
    for (var s : truth.semaphores()) {
      if (s.posts() > 0) {
        declared.merge("post:" + s.path() + ":" + s.pid(), s.posts(), Long::sum);
      }
      if (s.waits() > 0) {
        declared.merge("wait:" + s.path() + ":" + s.pid(), s.waits(), Long::sum);
      }
    }
    Tally t = Tally.of(declared, observed);
    return new Row(truth.workload(), "sem", "operations", t.expected(), t.expected() - t.missing() + t.extra(),
        t.missing(), t.extra(), t.problems());
  }

  /** Descriptors passed: each is one fd_send (sender, receiver named) and one fd_receive (receiver, sender named). */
  private static Row fdPasses(GroundTruth truth, List<JsonNode> between) {
    Map<String, Long> observed = between.stream()
        .filter(e -> e.path("op").asText().equals("fd_send") || e.path("op").asText().equals("fd_receive"))
        .collect(Collectors.groupingBy(e -> e.path("op").asText() + ":" + e.path("passed_kind").asText() + ":"
            + e.path("pid").asLong() + ">" + e.path("peer_pid").asLong(), Collectors.counting()));
    Map<String, Long> declared = new HashMap<>();
    for (var f : truth.fdPasses()) {
      declared.merge("fd_send:" + f.kind() + ":" + f.senderPid() + ">" + f.receiverPid(), f.count(), Long::sum);
      declared.merge("fd_receive:" + f.kind() + ":" + f.receiverPid() + ">" + f.senderPid(), f.count(), Long::sum);
    }
    Tally t = Tally.of(declared, observed);
    return new Row(truth.workload(), "fd_passing", "descriptors", t.expected(),
        t.expected() - t.missing() + t.extra(), t.missing(), t.extra(), t.problems());
  }

  /**
   * Each user signal is one send and one delivery; each kernel signal one generation, and at most one delivery: a
   * SIGCHLD that the parent ignores by default is dropped when generated, unless the thread it is aimed at has it
   * blocked at that moment (glibc's posix_spawn blocks every signal around its clone), and then it is queued and
   * delivered (to be ignored) later. Such a delivery is neither missing nor extra.
   */
  private static Row signals(String workload, List<TruthSignal> declared, List<JsonNode> seen) {
    Map<String, Long> observed = seen.stream()
        .filter(e -> !e.path("op").asText().equals("deliver") || e.path("signal").asText().length() > 0)
        .collect(Collectors.groupingBy(e -> e.path("op").asText() + ":" + e.path("signal").asText() + ":"
            + e.path("pid").asLong() + ">" + e.path("peer_pid").asLong(), Collectors.counting()));
    Map<String, Long> expectedCounts = new HashMap<>();
    for (TruthSignal s : declared) {
      String pair = s.senderPid() + ">" + s.targetPid();
      if (s.origin().equals(TruthSignal.KERNEL)) {
        expectedCounts.merge("generate:" + s.signal() + ":" + pair, s.count(), Long::sum);
        observed.computeIfPresent("deliver:" + s.signal() + ":" + s.targetPid() + ">" + s.senderPid(),
            (key, got) -> got > s.count() ? got - s.count() : null);
      } else {
        expectedCounts.merge("send:" + s.signal() + ":" + pair, s.count(), Long::sum);
        expectedCounts.merge("deliver:" + s.signal() + ":" + s.targetPid() + ">" + s.senderPid(), s.count(), Long::sum);
      }
    }
    Tally t = Tally.of(expectedCounts, observed);
    return new Row(workload, "signal", "signals", t.expected(), seen.size(), t.missing(), t.extra(), t.problems());
  }

  /** Declared counts against observed ones, key by key: what is missing, what is extra, and each difference. */
  private record Tally(long expected, long missing, long extra, List<String> problems) {

    static Tally of(Map<String, Long> declared, Map<String, Long> observed) {
      Map<String, Long> unmatched = new HashMap<>(observed);
      long expected = 0;
      long missing = 0;
      long extra = 0;
      List<String> problems = new ArrayList<>();
      for (Map.Entry<String, Long> want : declared.entrySet()) {
        long got = unmatched.getOrDefault(want.getKey(), 0L);
        unmatched.remove(want.getKey());
        expected += want.getValue();
        missing += Math.max(0, want.getValue() - got);
        extra += Math.max(0, got - want.getValue());
        if (got != want.getValue()) {
          problems.add(want.getKey() + ": " + got + ", expected " + want.getValue());
        }
      }
      for (Map.Entry<String, Long> undeclared : unmatched.entrySet()) {
        extra += undeclared.getValue();
        problems.add("undeclared " + undeclared.getKey() + ": " + undeclared.getValue());
      }
      return new Tally(expected, missing, extra, problems);
    }
  }

  static String table(List<Row> rows) {
    StringBuilder s = new StringBuilder();
    s.append("| workload | mechanism | unit | expected | seen | missing | extra | recall | precision |\n");
    s.append("|---|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      s.append(String.format("| %s | %s | %s | %d | %d | %d | %d | %.1f%% | %.1f%% |%n", r.workload(), r.mechanism(),
          r.unit(), r.expected(), r.seen(), r.missing(), r.extra(), 100 * r.recall(), 100 * r.precision()));
    }
    return s.toString();
  }
}
