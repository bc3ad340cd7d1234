package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.GroundTruthJson;
import io.ipcscope.demo.truth.TruthChannel;
import io.ipcscope.demo.truth.TruthLock;
import io.ipcscope.demo.truth.TruthProcess;
import io.ipcscope.demo.truth.TruthSignal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo all}: every workload at once, their truths in one with prefixed names, all or nothing. */
class AllWorkloadTest {

  private static final long ME = ProcessHandle.current().pid();

  @TempDir Path dir;

  private static List<String> partNames() {
    return Workloads.all().stream().map(Workload::name).filter(n -> !n.equals("all")).toList();
  }

  private static void assertNothingLeft(List<String> workloads, List<Long> pids) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pids.stream().anyMatch(Demo::alive) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pids).noneMatch(Demo::alive);
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    for (String w : workloads) {
      assertThat(Run.tempDirs(tmp, w)).as("temp dirs of %s", w).extracting(Run.TempDir::demoPid).doesNotContain(ME);
    }
    assertThat(MessageQueues.sysvKeys()).doesNotContain(SysvMqWorkload.key(ME));
    assertThat(MessageQueues.posixExists("/ipcscope-demo-" + ME)).isFalse();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void runsEveryWorkloadAtOnceAndPrefixesTheirTruth() throws Exception {
    Path truthFile = dir.resolve("all.json");
    Demo demo = Demo.run("all", "--messages", "3", "--size", "64", "--truth", truthFile.toString());

    assertThat(demo.exitCode()).as(demo.err()).isZero();
    List<String> lines = demo.err().lines().toList();
    assertThat(lines).hasSize(partNames().size() + 1);
    assertThat(lines.subList(0, lines.size() - 1).stream().map(l -> l.split(":")[0]))
        .containsExactlyInAnyOrderElementsOf(partNames().stream().map(n -> "demo " + n).toList());
    assertThat(lines.get(lines.size() - 1)).startsWith("demo all: done in ");

    GroundTruth t = GroundTruthJson.read(truthFile);
    assertThat(t.workload()).isEqualTo("all");
    assertThat(t.processes()).filteredOn(p -> p.pid() == ME).extracting(TruthProcess::role).containsExactly("parent");
    assertThat(t.processes()).extracting(TruthProcess::pid).doesNotHaveDuplicates();
    for (TruthProcess p : t.processes()) {
      if (p.pid() != ME) {
        assertThat(partNames()).as(p.role()).contains(p.role().substring(0, p.role().indexOf('/')));
        assertThat(t.signals()).as("SIGCHLD of " + p.role())
            .contains(new TruthSignal("SIGCHLD", p.pid(), ME, 1, TruthSignal.KERNEL, null));
      }
    }
    assertThat(t.processes()).extracting(TruthProcess::role).contains(
        "pipe/child", "pipe/head", "pipe/cat", "fifo/reader", "fifo/writer", "signal/receiver", "signal/sender",
        "sysv-mq/server", "sysv-mq/client", "posix-mq/consumer", "posix-mq/producer", "file-lock/first",
        "file-lock/second", "tcp/server", "tcp/client", "udp/server", "udp/client");
    for (TruthChannel c : t.channels()) {
      assertThat(partNames()).as(c.name()).contains(c.name().substring(0, c.name().indexOf('/')));
    }

    String tcp4 = t.channel("tcp/client->server ipv4").path();
    String tcp6 = t.channel("tcp/client->server ipv6").path();
    String udp = t.channel("udp/client->server").path();
    String fifo = t.channel("fifo/writer->reader").path();
    assertThat(tcp4).startsWith("127.0.0.1:");
    assertThat(tcp6).startsWith("[::1]:");
    assertThat(udp).startsWith("127.0.0.1:");
    assertThat(fifo).contains("ipcscope-demo-fifo-" + ME + "-");
    assertThat(t.channels()).contains(
        channel(t, "pipe", "pipe/parent->child stdin", "parent", "pipe/child", 3L, null),
        channel(t, "pipe", "pipe/child->parent stdout", "pipe/child", "parent", 3L, null),
        channel(t, "pipe", "pipe/head->cat", "pipe/head", "pipe/cat", null, null),
        channel(t, "fifo", "fifo/writer->reader", "fifo/writer", "fifo/reader", 3L, fifo),
        channel(t, "sysv_mq", "sysv-mq/client->server requests", "sysv-mq/client", "sysv-mq/server", 3L, null),
        channel(t, "sysv_mq", "sysv-mq/server->client replies", "sysv-mq/server", "sysv-mq/client", 3L, null),
        channel(t, "posix_mq", "posix-mq/producer->consumer", "posix-mq/producer", "posix-mq/consumer", 3L,
            "/ipcscope-demo-" + ME),
        channel(t, "tcp", "tcp/client->server ipv4", "tcp/client", "tcp/server", 3L, tcp4),
        channel(t, "tcp", "tcp/server->client ipv4", "tcp/server", "tcp/client", 3L, tcp4),
        channel(t, "tcp", "tcp/client->server ipv6", "tcp/client", "tcp/server", 3L, tcp6),
        channel(t, "tcp", "tcp/server->client ipv6", "tcp/server", "tcp/client", 3L, tcp6),
        channel(t, "udp", "udp/client->server", "udp/client", "udp/server", 3L, udp),
        channel(t, "udp", "udp/server->client", "udp/server", "udp/client", 3L, udp));
    long sender = t.pid("signal/sender");
    long receiver = t.pid("signal/receiver");
    assertThat(t.signals()).contains(
        new TruthSignal("SIGUSR1", sender, receiver, 3, TruthSignal.USER, null),
        new TruthSignal("SIGUSR2", receiver, sender, 4, TruthSignal.USER, null));
    assertThat(t.locks()).extracting(TruthLock::kind, TruthLock::name, TruthLock::pid, TruthLock::acquires)
        .contains(tuple("flock", "file-lock/lock", t.pid("file-lock/first"), 3L),
            tuple("posix", "file-lock/range-lock", t.pid("file-lock/second"), 3L));
    assertThat(t.lockWaits()).extracting(w -> w.name()).containsOnly("file-lock/lock", "file-lock/range-lock");
    assertNothingLeft(partNames(), t.processes().stream().map(TruthProcess::pid).filter(p -> p != ME).toList());
  }

  /** The channel of {@code mechanism} called {@code name}, 64-byte records, pids by role. */
  private static TruthChannel channel(GroundTruth t, String mechanism, String name, String writer, String reader,
      Long messages, String path) {
    return new TruthChannel(mechanism, name, t.pid(writer), t.pid(reader), messages, 3 * 64, path);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void withDurationLeavesOutWhatTakesOnlyMessages() throws Exception {
    Path truthFile = dir.resolve("all.json");
    Demo demo = Demo.run("all", "--duration", "3", "--rate", "20", "--size", "32", "--truth", truthFile.toString());

    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.err().lines().toList()).first()
        .isEqualTo("demo all: leaving out file-lock: it takes --messages, not --duration");
    GroundTruth t = GroundTruthJson.read(truthFile);
    assertThat(t.processes()).extracting(TruthProcess::role)
        .contains("tcp/server", "udp/client", "pipe/child")
        .noneMatch(r -> r.startsWith("file-lock/"));
    assertThat(t.locks()).isEmpty();
    // fd-passing's channels carry one-byte tokens, not records
    assertThat(t.channels()).filteredOn(c -> c.messages() != null && !c.name().startsWith("fd-passing/"))
        .allMatch(c -> c.bytes() == c.messages() * 32, "bytes = messages * 32");
    assertNothingLeft(partNames(), t.processes().stream().map(TruthProcess::pid).filter(p -> p != ME).toList());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFailingWorkloadStopsTheOthersAndIsNamedInOneLine() throws Exception {
    List<Long> seen = new CopyOnWriteArrayList<>();
    Workload boom = new Workload() {
      @Override
      public String name() {
        return "boom";
      }

      @Override
      public String description() {
        return "fails once the others run";
      }

      @Override
      public void run(Run run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (ProcessHandle.current().children().count() < 4 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        Thread.sleep(300); // Traffic flows.
        ProcessHandle.current().children().forEach(p -> seen.add(p.pid()));
        throw new IllegalStateException("exploded\nafter the others started");
      }
    };
    AllWorkload all = new AllWorkload(() -> List.of(new TcpWorkload(), boom, new UdpWorkload()));
    StringWriter err = new StringWriter();
    Run run = new Run("all", new Settings(1, 64, 50, 40, null, true), new PrintWriter(err, true));
    long start = System.nanoTime();

    assertThatThrownBy(() -> WorkloadCommand.execute(all, run))
        .hasMessage("boom failed: exploded after the others started");

    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(30));
    assertThat(seen).hasSize(4);
    assertNothingLeft(List.of("tcp", "udp", "boom"), new ArrayList<>(seen));
    assertNoChildAliveWithin(Duration.ofSeconds(5));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aWorkloadRefusingTheSettingsFailsAllInOneLine() throws Exception {
    Demo demo = Demo.run("all", "--messages", "2", "--size", "70000", "--quiet");

    assertThat(demo.exitCode()).isEqualTo(1);
    assertThat(demo.err().lines().toList()).hasSize(1).first().asString()
        .matches("demo all: (sysv-mq|posix-mq|udp) failed: .*--size 70000.*")
        .doesNotContain("Exception");
    assertNothingLeft(partNames(), List.of());
    assertNoChildAliveWithin(Duration.ofSeconds(5));
  }

  /** {@code demo all ARGS} as its own JVM with java.io.tmpdir = {@code tmp}, once every workload printed its pids. */
  private record Started(Process demo, List<Long> children) {
    static Started start(Path tmp, String... args) throws Exception {
      List<String> command = new ArrayList<>(List.of(
          ProcessHandle.current().info().command().orElseThrow(),
          "-Djava.io.tmpdir=" + tmp, "-Djdk.lang.Process.launchMechanism=FORK",
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          "-cp", System.getProperty("java.class.path"), DemoCommand.class.getName(), "all"));
      command.addAll(List.of(args));
      Process demo = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      BufferedReader err = new BufferedReader(new InputStreamReader(demo.getErrorStream()));
      List<Long> children = new ArrayList<>();
      long workloads = Workloads.all().stream().filter(w -> !w.name().equals("all") && w.takesDuration()).count();
      for (int seen = 0; seen < workloads; ) {
        String line = err.readLine();
        assertThat(line).as("a stderr line of demo all").isNotNull();
        Matcher m = PIDS.matcher(line);
        if (m.matches()) {
          seen++;
          for (String pair : m.group(2).split(" ")) {
            String[] kv = pair.split("=");
            if (!kv[0].equals("parent")) {
              children.add(Long.parseLong(kv[1]));
            }
          }
        }
      }
      return new Started(demo, children);
    }
  }

  private static final Pattern PIDS = Pattern.compile("demo (\\S+): pids (.*)");

  private List<Path> leftovers() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("ipcscope-demo-")).toList();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void sigtermStopsEveryWorkloadAndRemovesWhatTheyMade() throws Exception {
    Started s = Started.start(dir, "--duration", "30", "--rate", "20");
    long pid = s.demo().pid();
    assertThat(MessageQueues.sysvKeys()).contains(SysvMqWorkload.key(pid));

    Libc.kill(pid, Libc.SIGTERM);
    assertThat(s.demo().waitFor(15, TimeUnit.SECONDS)).isTrue();

    assertThat(s.demo().exitValue()).isEqualTo(143);
    awaitGone(s.children());
    assertThat(leftovers()).isEmpty();
    assertThat(MessageQueues.sysvKeys()).doesNotContain(SysvMqWorkload.key(pid));
    assertThat(MessageQueues.posixExists("/ipcscope-demo-" + pid)).isFalse();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void afterASigkillCleanupFindsEveryWorkloadsLeftovers() throws Exception {
    Started s = Started.start(dir, "--duration", "30", "--rate", "20");
    long pid = s.demo().pid();

    s.demo().destroyForcibly(); // SIGKILL: no hook runs; the children see EOF on stdin and exit.
    assertThat(s.demo().waitFor(5, TimeUnit.SECONDS)).isTrue();
    awaitGone(s.children());
    assertThat(leftovers()).isNotEmpty();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Cleanup.run(dir, new PrintWriter(out, true), new PrintWriter(err, true));

    assertThat(status).as(err.toString()).isZero();
    assertThat(out.toString()).contains(
        String.format("removed sysv_mq key 0x%08x", SysvMqWorkload.key(pid)),
        "removed posix_mq /ipcscope-demo-" + pid,
        "removed temp dir " + dir.resolve("ipcscope-demo-tcp-" + pid + "-"),
        "removed temp dir " + dir.resolve("ipcscope-demo-udp-" + pid + "-"));
    assertThat(leftovers()).isEmpty();
    assertThat(MessageQueues.posixExists("/ipcscope-demo-" + pid)).isFalse();
  }

  private static void awaitGone(List<Long> pids) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pids.stream().anyMatch(Demo::alive) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pids).noneMatch(Demo::alive);
  }

  /** A child the demo killed may still be on its way out when the demo returns: its end is awaited, not assumed. */
  private static void assertNoChildAliveWithin(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::info)
        .map(Object::toString).toList()).isEmpty();
  }
}
