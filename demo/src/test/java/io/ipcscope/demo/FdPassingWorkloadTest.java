package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.TruthChannel;
import io.ipcscope.demo.truth.TruthFdPass;
import io.ipcscope.demo.truth.TruthProcess;
import io.ipcscope.demo.truth.TruthSharedMemory;
import io.ipcscope.demo.truth.TruthSignal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The fd-passing workload as real processes: one memfd passed, mapped twice, and the socket's exact traffic. */
class FdPassingWorkloadTest {

  @TempDir Path dir;

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void passesTheMemfdOnceAndEveryRecordGoesThroughTheMapping() throws Exception {
    GroundTruth truth = UnixSocketWorkloadTest.runOk(dir, "fd-passing", "--messages", "10", "--size", "100");

    long parent = truth.pid("parent");
    long sender = truth.pid("sender");
    long receiver = truth.pid("receiver");
    assertThat(truth.processes()).extracting(TruthProcess::role, TruthProcess::comm)
        .containsExactly(tuple("parent", truth.process("parent").comm()), tuple("receiver", "java"),
            tuple("sender", "java"));
    String socket = truth.channel("sender->receiver").path();
    assertThat(Path.of(socket).getFileName()).hasToString("fd.sock");
    assertThat(Path.of(socket).getParent().getFileName().toString())
        .startsWith("ipcscope-demo-fd-passing-" + parent + "-");
    // The sendmsg with the memfd and its 8-byte header, then a 1-byte token per record; a 1-byte ack back.
    assertThat(truth.channels()).containsExactly(
        new TruthChannel("unix_socket", "sender->receiver", sender, receiver, 11L, 8 + 10, socket),
        new TruthChannel("unix_socket", "receiver->sender", receiver, sender, 10L, 10, socket));
    assertThat(truth.fdPasses()).containsExactly(
        new TruthFdPass("posix_shm", "memfd", sender, receiver, "sender->receiver", 1));
    assertThat(truth.sharedMemory()).containsExactly(new TruthSharedMemory("posix_shm", "memfd",
        "memfd:ipcscope-demo-fd-passing-" + parent, 4096, List.of(sender, receiver), 2));
    assertThat(truth.signals()).containsExactlyInAnyOrder(
        new TruthSignal("SIGCHLD", receiver, parent, 1, TruthSignal.KERNEL, null),
        new TruthSignal("SIGCHLD", sender, parent, 1, TruthSignal.KERNEL, null));
    assertThat(Path.of(socket)).doesNotExist();
    assertThat(Path.of(socket).getParent()).doesNotExist();
    assertThat(UnixSocketWorkloadTest.boundSockets(Path.of(socket).getParent().toString())).isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void theMemfdIsTheRecordRoundedUpToPages() throws Exception {
    GroundTruth truth = UnixSocketWorkloadTest.runOk(dir, "fd-passing", "--messages", "3", "--size", "10000");

    assertThat(truth.sharedMemory()).singleElement().extracting(TruthSharedMemory::sizeBytes).isEqualTo(12288L);
    assertThat(truth.channel("sender->receiver").bytes()).isEqualTo(8 + 3);
    assertThat(truth.channel("receiver->sender").messages()).isEqualTo(3);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void theTruthFileHasTheFdPassAndSharedMemoryFields() throws Exception {
    UnixSocketWorkloadTest.runOk(dir, "fd-passing", "--messages", "2", "--size", "16");

    long parent = ProcessHandle.current().pid();
    assertThat(dir.resolve("truth.json")).content().contains(
        "\"fd_passes\" : [ {", "\"kind\" : \"posix_shm\"", "\"via\" : \"sender->receiver\"", "\"count\" : 1",
        "\"shared_memory\" : [ {", "\"path\" : \"memfd:ipcscope-demo-fd-passing-" + parent + "\"",
        "\"size_bytes\" : 4096", "\"attacher_pids\" : [ ", "\"attaches\" : 2",
        "\"mechanism\" : \"unix_socket\"", "\"messages\" : 3", "\"bytes\" : 10");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void continuousModeCountsTheTokens() throws Exception {
    GroundTruth truth = UnixSocketWorkloadTest.runOk(dir, "fd-passing", "--duration", "3", "--rate", "100");

    long n = truth.channel("receiver->sender").messages();
    assertThat(n).isPositive().isLessThanOrEqualTo(300);
    assertThat(truth.channel("receiver->sender").bytes()).isEqualTo(n);
    assertThat(truth.channel("sender->receiver"))
        .extracting(TruthChannel::messages, TruthChannel::bytes).containsExactly(n + 1, n + 8);
    assertThat(truth.fdPasses()).singleElement().extracting(TruthFdPass::count).isEqualTo(1L);
  }
}
