package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.GroundTruthJson;
import io.ipcscope.demo.truth.TruthChannel;
import io.ipcscope.demo.truth.TruthLock;
import io.ipcscope.demo.truth.TruthLockWait;
import io.ipcscope.demo.truth.TruthProcess;
import io.ipcscope.demo.truth.TruthSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each workload as real processes: the truth file has the exact numbers and nothing is left behind. */
class WorkloadTruthTest {

  @TempDir Path dir;

  private GroundTruth runOk(String... args) throws Exception {
    Path truthFile = dir.resolve("truth.json");
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--truth";
    all[args.length + 1] = truthFile.toString();
    Demo demo = Demo.run(all);
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    GroundTruth truth = GroundTruthJson.read(truthFile);
    assertThat(demo.err().lines().toList())
        .hasSize(2)
        .first().asString().startsWith("demo " + args[0] + ": pids parent=" + ProcessHandle.current().pid());
    assertThat(truth.workload()).isEqualTo(args[0]);
    assertThat(truth.endedNs()).isGreaterThan(truth.startedNs());
    for (TruthProcess p : truth.processes()) {
      if (!p.role().equals("parent")) {
        assertThat(Demo.alive(p.pid())).as("%s (pid %d) is gone", p.role(), p.pid()).isFalse();
      }
    }
    return truth;
  }

  private static void assertChildExitSignals(GroundTruth truth, String... roles) {
    long parent = truth.pid("parent");
    for (String role : roles) {
      assertThat(truth.signals())
          .contains(new TruthSignal("SIGCHLD", truth.pid(role), parent, 1, TruthSignal.KERNEL, null));
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void pipeEchoesEveryRecordAndHeadSendsCatExactlyK() throws Exception {
    GroundTruth truth = runOk("pipe", "--messages", "10", "--size", "100");

    long parent = truth.pid("parent");
    long child = truth.pid("child");
    assertThat(truth.processes()).extracting(TruthProcess::role, TruthProcess::comm)
        .containsExactly(tuple("parent", truth.process("parent").comm()), tuple("child", "java"),
            tuple("head", "head"), tuple("cat", "cat"));
    assertThat(truth.channels()).containsExactly(
        new TruthChannel("pipe", "parent->child stdin", parent, child, 10L, 1000, null),
        new TruthChannel("pipe", "child->parent stdout", child, parent, 10L, 1000, null),
        new TruthChannel("pipe", "head->cat", truth.pid("head"), truth.pid("cat"), null, 1000, null));
    assertThat(truth.signals()).hasSize(3);
    assertChildExitSignals(truth, "child", "head", "cat");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void fifoCarriesEveryRecordAndIsRemoved() throws Exception {
    GroundTruth truth = runOk("fifo", "--messages", "10", "--size", "100");

    TruthChannel fifo = truth.channel("writer->reader");
    assertThat(fifo).isEqualTo(new TruthChannel(
        "fifo", "writer->reader", truth.pid("writer"), truth.pid("reader"), 10L, 1000, fifo.path()));
    assertThat(fifo.path()).endsWith("/demo.fifo");
    assertThat(Path.of(fifo.path())).doesNotExist();
    assertThat(Path.of(fifo.path()).getParent()).doesNotExist();
    assertThat(truth.signals()).hasSize(2);
    assertChildExitSignals(truth, "writer", "reader");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void signalRoundTripsQueueAndTerminate() throws Exception {
    GroundTruth truth = runOk("signal", "--messages", "10");

    long a = truth.pid("sender");
    long b = truth.pid("receiver");
    assertThat(truth.channels()).isEmpty();
    assertThat(truth.signals()).containsExactlyInAnyOrder(
        new TruthSignal("SIGUSR1", a, b, 10, TruthSignal.USER, null),
        new TruthSignal("SIGUSR1", a, b, 1, TruthSignal.QUEUE, SignalWorkload.QUEUED_VALUE),
        new TruthSignal("SIGUSR2", b, a, 11, TruthSignal.USER, null),
        new TruthSignal("SIGTERM", a, b, 1, TruthSignal.USER, null),
        new TruthSignal("SIGCHLD", a, truth.pid("parent"), 1, TruthSignal.KERNEL, null),
        new TruthSignal("SIGCHLD", b, truth.pid("parent"), 1, TruthSignal.KERNEL, null));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sysvMqAnswersEveryRequestByTypeAndRemovesTheQueue() throws Exception {
    GroundTruth truth = runOk("sysv-mq", "--messages", "10", "--size", "100", "--rate", "1000");

    long client = truth.pid("client");
    long server = truth.pid("server");
    assertThat(truth.processes()).extracting(TruthProcess::role, TruthProcess::comm)
        .containsExactly(tuple("parent", truth.process("parent").comm()), tuple("server", "java"),
            tuple("client", "java"));
    assertThat(truth.channels()).containsExactly(
        new TruthChannel("sysv_mq", "client->server requests", client, server, 10L, 1000, null),
        new TruthChannel("sysv_mq", "server->client replies", server, client, 10L, 1000, null));
    assertThat(truth.signals()).hasSize(2);
    assertChildExitSignals(truth, "server", "client");
    assertThat(MessageQueues.sysvKeys()).doesNotContain(SysvMqWorkload.key(truth.pid("parent")));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sysvMqRefusesAMessageTheKernelCannotTakeBeforeStartingAnything() throws Exception {
    long limit = Math.min(Sysctl.read("kernel/msgmax"), Sysctl.read("kernel/msgmnb"));
    assertThat(limit).as("kernel.msgmax/msgmnb below --size's own bound").isLessThan(Settings.MAX_SIZE);

    Demo demo = Demo.run("sysv-mq", "--messages", "1", "--size", Long.toString(limit + 1));

    assertThat(demo.exitCode()).isEqualTo(1);
    assertThat(demo.err().lines().toList()).containsExactly("demo sysv-mq: --size " + (limit + 1)
        + " is more than a System V message may carry here (kernel.msgmax = " + Sysctl.read("kernel/msgmax")
        + ", kernel.msgmnb = " + Sysctl.read("kernel/msgmnb") + ")");
    assertThat(MessageQueues.sysvKeys()).doesNotContain(SysvMqWorkload.key(ProcessHandle.current().pid()));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void posixMqCarriesEveryMessageByPriorityAndIsUnlinked() throws Exception {
    // The run itself fails unless some message overtook an earlier one of lower priority.
    GroundTruth truth = runOk("posix-mq", "--messages", "10", "--size", "100", "--rate", "1000");

    String name = "/ipcscope-demo-" + truth.pid("parent");
    assertThat(truth.processes()).extracting(TruthProcess::role, TruthProcess::comm)
        .containsExactly(tuple("parent", truth.process("parent").comm()), tuple("consumer", "java"),
            tuple("producer", "java"));
    assertThat(truth.channels()).containsExactly(
        new TruthChannel("posix_mq", "producer->consumer", truth.pid("producer"), truth.pid("consumer"), 10L, 1000,
            name));
    assertThat(truth.signals()).hasSize(2);
    assertChildExitSignals(truth, "consumer", "producer");
    assertThat(MessageQueues.posixExists(name)).isFalse();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void posixMqCountsWhatWasSentInContinuousMode() throws Exception {
    GroundTruth truth = runOk("posix-mq", "--duration", "1.5", "--rate", "100", "--size", "32");

    TruthChannel queue = truth.channel("producer->consumer");
    assertThat(queue.messages()).isGreaterThan(1).isLessThanOrEqualTo(150);
    assertThat(queue.bytes()).isEqualTo(queue.messages() * 32);
    assertThat(MessageQueues.posixExists(queue.path())).isFalse();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void fileLockAlternatesAndKnowsWhoWaitedForWhom() throws Exception {
    GroundTruth truth = runOk("file-lock", "--messages", "4");

    long first = truth.pid("first");
    long second = truth.pid("second");
    assertThat(truth.processes()).extracting(TruthProcess::role, TruthProcess::comm)
        .containsExactly(tuple("parent", truth.process("parent").comm()), tuple("first", "java"),
            tuple("second", "java"));
    String lock = truth.locks().get(0).path();
    String range = truth.locks().get(2).path();
    assertThat(Path.of(lock).getFileName()).hasToString("lock");
    assertThat(Path.of(range)).isEqualTo(Path.of(lock).resolveSibling("range-lock"));
    assertThat(Path.of(lock).getParent().getFileName().toString())
        .startsWith("ipcscope-demo-file-lock-" + truth.pid("parent") + "-");
    assertThat(truth.locks()).containsExactly(
        new TruthLock("flock", "lock", lock, first, 4),
        new TruthLock("flock", "lock", lock, second, 4),
        new TruthLock("posix", "range-lock", range, first, 4),
        new TruthLock("posix", "range-lock", range, second, 4));
    assertThat(truth.lockWaits()).containsExactly(
        new TruthLockWait("flock", "lock", second, first, 4),
        new TruthLockWait("flock", "lock", first, second, 3),
        new TruthLockWait("posix", "range-lock", second, first, 4),
        new TruthLockWait("posix", "range-lock", first, second, 3));
    assertThat(truth.channels()).isEmpty();
    assertThat(truth.signals()).hasSize(2);
    assertChildExitSignals(truth, "first", "second");
    assertThat(Path.of(lock).getParent()).doesNotExist();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void fileLockWithOneRoundHasNoWaitOfTheFirst() throws Exception {
    GroundTruth truth = runOk("file-lock", "--messages", "1", "--rate", "50");

    long first = truth.pid("first");
    long second = truth.pid("second");
    assertThat(truth.locks()).extracting(TruthLock::kind, TruthLock::pid, TruthLock::acquires).containsExactly(
        tuple("flock", first, 1L), tuple("flock", second, 1L), tuple("posix", first, 1L), tuple("posix", second, 1L));
    assertThat(truth.lockWaits()).containsExactly(
        new TruthLockWait("flock", "lock", second, first, 1),
        new TruthLockWait("posix", "range-lock", second, first, 1));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void fileLockRefusesDurationInOneLine() {
    Demo demo = Demo.run("file-lock", "--duration", "1");

    assertThat(demo.exitCode()).isEqualTo(1);
    assertThat(demo.err().lines().toList()).containsExactly(
        "demo file-lock: file-lock takes --messages, not --duration: both children must know in advance how often"
            + " to lock");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void rateSpacesTheRecords() throws Exception {
    long start = System.nanoTime();
    GroundTruth truth = runOk("pipe", "--messages", "6", "--size", "10", "--rate", "20");

    assertThat(truth.channel("parent->child stdin").messages()).isEqualTo(6);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void durationKeepsGoingAndCountsWhatWasSent() throws Exception {
    GroundTruth truth = runOk("fifo", "--duration", "1.5", "--rate", "100", "--size", "32", "--messages", "1");

    TruthChannel fifo = truth.channel("writer->reader");
    assertThat(fifo.messages()).isGreaterThan(1).isLessThanOrEqualTo(150);
    assertThat(fifo.bytes()).isEqualTo(fifo.messages() * 32);
    assertThat(truth.endedNs() - truth.startedNs()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1400));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void largeRecordsAreStillOneWriteEach() throws Exception {
    GroundTruth truth = runOk("pipe", "--messages", "3", "--size", "200000");

    assertThat(truth.channel("child->parent stdout").bytes()).isEqualTo(600_000);
    assertThat(truth.channel("head->cat").bytes()).isEqualTo(600_000);
    assertThat(Files.exists(dir.resolve("truth.json.tmp"))).isFalse();
  }
}
