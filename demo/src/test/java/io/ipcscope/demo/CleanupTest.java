package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --cleanup} against real leftovers: demos killed with SIGKILL in their own JVMs, and
 * objects made directly under the name of a dead pid or of a pid now held by another program.
 * Needs root (mounting the mqueue fs); the demo tests run as root.
 */
class CleanupTest {

  private static final Pattern SUMMARY =
      Pattern.compile("cleanup: (nothing left over|(\\d+) objects? removed)(, (\\d+) kept \\(.*\\))?");

  @TempDir Path tmp;
  private DemoRuns demos;

  @BeforeEach
  void demosIn() {
    demos = new DemoRuns(tmp);
  }

  private final List<Runnable> undo = new ArrayList<>();

  /** What a command printed and its exit status. */
  private record Ran(int exit, List<String> out, String err) {}

  /** {@code ipcscope demo --cleanup} as its own JVM, run through {@code prefix} (e.g. setpriv). */
  private Ran cleanupCommand(String... prefix) throws Exception {
    List<String> command = new ArrayList<>(List.of(prefix));
    command.addAll(demos.java(DemoCommand.class.getName(), "--cleanup"));
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Ran(p.exitValue(), out.lines().toList(), err);
  }

  private Ran cleanupHere() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Cleanup.run(tmp, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Ran(exit, out.toString().lines().toList(), err.toString());
  }

  @AfterEach
  void stopAndCleanUp() throws Exception {
    undo.forEach(Runnable::run);
    demos.stopAll();
  }

  private static int sysvId(int key) throws Exception {
    return MessageQueues.sysv().stream().filter(e -> e.key() == key).findFirst().orElseThrow().id();
  }

  /** The mount points of mqueue filesystems in this mount namespace. */
  static List<String> mqueueMounts() throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> l.contains(" - "))
        .filter(l -> l.substring(l.indexOf(" - ") + 3).startsWith("mqueue "))
        .map(l -> l.split(" ")[4])
        .toList();
  }

  /** A pid no process has: one that just exited. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(Demo.alive(p.pid())).isFalse();
    return p.pid();
  }

  private static void checkSummary(Ran ran) {
    assertThat(ran.out()).isNotEmpty();
    String summary = ran.out().get(ran.out().size() - 1);
    Matcher m = SUMMARY.matcher(summary);
    assertThat(m.matches()).as(summary).isTrue();
    long removed = ran.out().stream().filter(l -> l.startsWith("removed ")).count();
    long kept = ran.out().stream().filter(l -> l.startsWith("kept ")).count();
    assertThat(m.group(2) == null ? 0 : Long.parseLong(m.group(2))).as(summary).isEqualTo(removed);
    assertThat(m.group(4) == null ? 0 : Long.parseLong(m.group(4))).as(summary).isEqualTo(kept);
    assertThat(removed + kept).as("every line but the summary is one object").isEqualTo(ran.out().size() - 1);
  }

  @Test
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void removesWhatDemosKilledWithSigkillLeftAndKeepsARunningDemosObjects() throws Exception {
    DemoRuns.Started sysv = demos.start("sysv-mq");
    DemoRuns.Started posix = demos.start("posix-mq");
    DemoRuns.Started fifo = demos.start("fifo");
    DemoRuns.Started runningSysv = demos.start("sysv-mq");
    DemoRuns.Started runningPosix = demos.start("posix-mq");
    DemoRuns.Started runningFifo = demos.start("fifo");
    Thread.sleep(300); // Mid-traffic.
    int sysvKey = SysvMqWorkload.key(sysv.pid());
    int sysvId = sysvId(sysvKey);
    String posixName = PosixMqWorkload.queueName(posix.pid());
    Path sysvDir = demos.tempDirOf("sysv-mq", sysv.pid());
    Path posixDir = demos.tempDirOf("posix-mq", posix.pid());
    Path fifoDir = demos.tempDirOf("fifo", fifo.pid());
    Path fifoFile = fifoDir.resolve("demo.fifo");
    int runningKey = SysvMqWorkload.key(runningSysv.pid());
    int runningId = sysvId(runningKey);
    String runningName = PosixMqWorkload.queueName(runningPosix.pid());
    Path runningSysvDir = demos.tempDirOf("sysv-mq", runningSysv.pid());
    Path runningPosixDir = demos.tempDirOf("posix-mq", runningPosix.pid());
    Path runningFifoDir = demos.tempDirOf("fifo", runningFifo.pid());

    DemoRuns.kill(sysv);
    DemoRuns.kill(posix);
    DemoRuns.kill(fifo);
    // SIGKILL ran no cleanup: everything is still there.
    assertThat(MessageQueues.sysvKeys()).contains(sysvKey, runningKey);
    assertThat(MessageQueues.posixExists(posixName)).isTrue();
    assertThat(List.of(sysvDir, posixDir, fifoDir, fifoFile)).allMatch(Files::exists);
    List<String> mountsBefore = mqueueMounts();

    Ran ran = cleanupCommand();

    assertThat(ran.err()).isEmpty();
    assertThat(ran.exit()).isZero();
    checkSummary(ran);
    List<String> removed = List.of(
        String.format("removed sysv_mq key 0x%08x (id %d): its demo (pid %d) is gone", sysvKey, sysvId, sysv.pid()),
        "removed temp dir " + sysvDir + ": its demo (pid " + sysv.pid() + ") is gone",
        "removed posix_mq " + posixName + ": its demo (pid " + posix.pid() + ") is gone",
        "removed temp dir " + posixDir + ": its demo (pid " + posix.pid() + ") is gone",
        "removed fifo " + fifoFile + ": its demo (pid " + fifo.pid() + ") is gone",
        "removed temp dir " + fifoDir + ": its demo (pid " + fifo.pid() + ") is gone");
    List<String> kept = List.of(
        String.format("kept sysv_mq key 0x%08x (id %d): its demo (pid %d) is running", runningKey, runningId,
            runningSysv.pid()),
        "kept temp dir " + runningSysvDir + ": its demo (pid " + runningSysv.pid() + ") is running",
        "kept posix_mq " + runningName + ": its demo (pid " + runningPosix.pid() + ") is running",
        "kept temp dir " + runningPosixDir + ": its demo (pid " + runningPosix.pid() + ") is running",
        "kept fifo " + runningFifoDir.resolve("demo.fifo") + ": its demo (pid " + runningFifo.pid() + ") is running",
        "kept temp dir " + runningFifoDir + ": its demo (pid " + runningFifo.pid() + ") is running");
    // Other demos on this host may have left queues too: the lines about these six demos are exactly these.
    List<Long> ours = List.of(sysv.pid(), posix.pid(), fifo.pid(), runningSysv.pid(), runningPosix.pid(),
        runningFifo.pid());
    assertThat(ran.out().stream().filter(l -> ours.stream().anyMatch(pid -> l.contains("(pid " + pid + ")"))))
        .containsExactlyInAnyOrderElementsOf(Stream.concat(removed.stream(), kept.stream()).toList());

    assertThat(MessageQueues.sysvKeys()).doesNotContain(sysvKey).contains(runningKey);
    assertThat(MessageQueues.posixExists(posixName)).isFalse();
    assertThat(MessageQueues.posixExists(runningName)).isTrue();
    assertThat(List.of(sysvDir, posixDir, fifoDir)).noneMatch(Files::exists);
    assertThat(List.of(runningSysvDir, runningPosixDir, runningFifoDir.resolve("demo.fifo"))).allMatch(Files::exists);
    assertThat(List.of(runningSysv, runningPosix, runningFifo)).allMatch(s -> s.demo().isAlive());
    // The POSIX queue was listed on a private mount (none here before) that is gone again.
    assertThat(mqueueMounts()).isEqualTo(mountsBefore);
    try (Stream<Path> entries = Files.list(tmp)) {
      assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("ipcscope-mqueue-"));
    }

    // The running demos end as usual, their objects intact until they remove them.
    for (DemoRuns.Started s : List.of(runningSysv, runningPosix, runningFifo)) {
      s.demo().destroy();
      assertThat(s.demo().waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(s.demo().exitValue()).isEqualTo(143);
    }
    Ran again = cleanupCommand();
    assertThat(again.out().stream().filter(l -> ours.stream().anyMatch(pid -> l.contains("(pid " + pid + ")"))))
        .isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void objectsOfADeadPidOrOfAPidNowHeldByAnotherProgramAreRemovedAndThisJvmsAreKept() throws Exception {
    long dead = deadPid();
    SysvQueue.Created deadSysv = SysvQueue.create(SysvMqWorkload.key(dead));
    undo.add(() -> quietly(deadSysv::close));
    PosixQueue.Created deadPosix = PosixQueue.create(PosixMqWorkload.queueName(dead), 4, 16);
    undo.add(() -> quietly(deadPosix::close));
    Path deadDir = Files.createDirectory(tmp.resolve("ipcscope-demo-fifo-" + dead + "-1234"));
    Libc.mkfifo(deadDir.resolve("demo.fifo"), 0600);
    Files.writeString(deadDir.resolve("reader.result"), "bytes=0\n");

    Process sleep = new ProcessBuilder("sleep", "60").start();
    demos.stopAtEnd(sleep);
    SysvQueue.Created reused = SysvQueue.create(SysvMqWorkload.key(sleep.pid()));
    undo.add(() -> quietly(reused::close));

    long self = ProcessHandle.current().pid();
    PosixQueue.Created mine = PosixQueue.create(PosixMqWorkload.queueName(self), 4, 16);
    undo.add(() -> quietly(mine::close));
    Path myDir = Files.createDirectory(tmp.resolve("ipcscope-demo-signal-" + self + "-99"));
    // Not a demo's: a name without the pid, another prefix.
    Path other = Files.createDirectory(tmp.resolve("ipcscope-demo-fifo-x" + dead + "-1"));

    Ran ran = cleanupHere();

    assertThat(ran.err()).isEmpty();
    assertThat(ran.exit()).isZero();
    checkSummary(ran);
    assertThat(ran.out()).contains(
        String.format("removed sysv_mq key 0x%08x (id %d): its demo (pid %d) is gone",
            SysvMqWorkload.key(dead), deadSysv.queue().id(), dead),
        "removed posix_mq /ipcscope-demo-" + dead + ": its demo (pid " + dead + ") is gone",
        "removed fifo " + deadDir.resolve("demo.fifo") + ": its demo (pid " + dead + ") is gone",
        "removed temp dir " + deadDir + ": its demo (pid " + dead + ") is gone",
        String.format("removed sysv_mq key 0x%08x (id %d): pid %d is now sleep 60, not an ipcscope demo",
            SysvMqWorkload.key(sleep.pid()), reused.queue().id(), sleep.pid()));
    assertThat(ran.out()).filteredOn(l -> l.contains("(pid " + self + ")") || l.contains("pid " + self + " "))
        .hasSize(2)
        .allMatch(l -> l.startsWith("kept ") && l.endsWith("is a JVM older than it: its demo may run there"));
    assertThat(ran.out()).noneMatch(l -> l.contains(other.toString()));

    assertThat(MessageQueues.sysvIds()).doesNotContain(deadSysv.queue().id(), reused.queue().id());
    assertThat(MessageQueues.posixExists(PosixMqWorkload.queueName(dead))).isFalse();
    assertThat(deadDir).doesNotExist();
    assertThat(MessageQueues.posixExists(mine.name())).isTrue();
    assertThat(myDir).exists();
    assertThat(other).exists();
    assertThat(sleep.isAlive()).isTrue();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void nothingLeftOverSaysSo() {
    Ran ran = cleanupHere();
    // Only what other demos on this host left may show up; this tmp dir holds nothing.
    assertThat(ran.out()).noneMatch(l -> l.contains(tmp.toString()));
    checkSummary(ran);
    if (ran.out().size() == 1) {
      assertThat(ran.out()).containsExactly("cleanup: nothing left over");
    }
    assertThat(cleanupHere().out()).filteredOn(l -> l.startsWith("removed ")).isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aPrivateMqueueMountListsQueuesAndIsGoneWhenClosed() throws Exception {
    long dead = deadPid();
    PosixQueue.Created queue = PosixQueue.create(PosixMqWorkload.queueName(dead), 4, 16);
    undo.add(() -> quietly(queue::close));
    List<String> before = mqueueMounts();

    Path dir;
    try (MqueueMount mount = MqueueMount.openPrivate(tmp)) {
      dir = mount.dir();
      assertThat(mount.ours()).isTrue();
      assertThat(mqueueMounts()).contains(dir.toString());
      assertThat(dir.resolve(queue.name().substring(1))).exists();
      assertThat(PosixQueue.leftovers(PosixMqWorkload::demoPid).find(hostWith(dir)))
          .extracting(Leftovers.Found::name, Leftovers.Found::demoPid)
          .contains(org.assertj.core.groups.Tuple.tuple(queue.name(), dead));
    }
    assertThat(mqueueMounts()).isEqualTo(before).doesNotContain(dir.toString());
    assertThat(dir).doesNotExist();
  }

  private Leftovers.Host hostWith(Path mqueueDir) {
    return new Leftovers.Host() {
      @Override
      public Path tmpDir() {
        return tmp;
      }

      @Override
      public Path mqueueDir() {
        return mqueueDir;
      }
    };
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void withoutTheRightToMountItSaysSoInOneLineAndStillCleansTheRest() throws Exception {
    assertThat(Path.of("/usr/bin/setpriv")).as("setpriv (util-linux) drops the capabilities").exists();
    long dead = deadPid();
    SysvQueue.Created sysv = SysvQueue.create(SysvMqWorkload.key(dead));
    undo.add(() -> quietly(sysv::close));
    PosixQueue.Created posix = PosixQueue.create(PosixMqWorkload.queueName(dead), 4, 16);
    undo.add(() -> quietly(posix::close));
    List<String> before = mqueueMounts();

    // Root without capabilities: owns the queue (may remove it) but may not mount.
    Ran ran = cleanupCommand("/usr/bin/setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all",
        "--");

    assertThat(ran.exit()).isEqualTo(1);
    assertThat(ran.err().lines().toList()).singleElement().asString()
        .startsWith("demo --cleanup: cannot look for the posix_mq objects of demo posix-mq: mount mqueue on ")
        .contains("EPERM", "CAP_SYS_ADMIN");
    assertThat(ran.out()).contains(String.format("removed sysv_mq key 0x%08x (id %d): its demo (pid %d) is gone",
        SysvMqWorkload.key(dead), sysv.queue().id(), dead));
    assertThat(ran.out().get(ran.out().size() - 1)).endsWith("; 1 problem (see above)");
    assertThat(MessageQueues.sysvIds()).doesNotContain(sysv.queue().id());
    assertThat(MessageQueues.posixExists(posix.name())).isTrue();
    assertThat(mqueueMounts()).isEqualTo(before);
    try (Stream<Path> entries = Files.list(tmp)) {
      assertThat(entries).isEmpty();
    }
  }

  private interface Action {
    void run() throws Exception;
  }

  private static void quietly(Action action) {
    try {
      action.run();
    } catch (Exception | Error ignored) {
      // Removed by the test already.
    }
  }
}
