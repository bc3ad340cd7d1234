package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.ipcscope.demo.UnixSocket.Address;
import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.GroundTruthJson;
import io.ipcscope.demo.truth.TruthChannel;
import io.ipcscope.demo.truth.TruthProcess;
import io.ipcscope.demo.truth.TruthSignal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The unix-socket workload as real processes: eight exact channels, and no socket, file or name left. */
class UnixSocketWorkloadTest {

  @TempDir Path dir;

  /** Runs a workload with --truth; checks the exit, the two stderr lines, and that every child is gone. */
  static GroundTruth runOk(Path dir, String... args) throws Exception {
    Path truthFile = dir.resolve("truth.json");
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--truth";
    all[args.length + 1] = truthFile.toString();
    Demo demo = Demo.run(all);
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.err().lines().toList())
        .hasSize(2)
        .first().asString().startsWith("demo " + args[0] + ": pids parent=" + ProcessHandle.current().pid());
    GroundTruth truth = GroundTruthJson.read(truthFile);
    assertThat(truth.workload()).isEqualTo(args[0]);
    assertThat(truth.endedNs()).isGreaterThan(truth.startedNs());
    for (TruthProcess p : truth.processes()) {
      if (!p.role().equals("parent")) {
        assertThat(Demo.alive(p.pid())).as("%s (pid %d) is gone", p.role(), p.pid()).isFalse();
      }
    }
    return truth;
  }

  /** Names in /proc/net/unix (paths, and abstract ones as "@name") that contain {@code part}. */
  static List<String> boundSockets(String part) throws Exception {
    return Files.readAllLines(Path.of("/proc/net/unix")).stream()
        .skip(1)
        .map(l -> l.trim().split("\\s+"))
        .filter(f -> f.length >= 8 && f[7].contains(part))
        .map(f -> f[7])
        .toList();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void everyFlowEchoesEveryRecordOneSendEachAndNothingIsLeft() throws Exception {
    GroundTruth truth = runOk(dir, "unix-socket", "--messages", "10", "--size", "100");

    long parent = truth.pid("parent");
    long server = truth.pid("server");
    long client = truth.pid("client");
    long peer = truth.pid("peer");
    assertThat(truth.processes()).extracting(TruthProcess::role, TruthProcess::comm)
        .containsExactly(tuple("parent", truth.process("parent").comm()), tuple("server", "java"),
            tuple("client", "java"), tuple("peer", "java"));
    String stream = truth.channel("client->server stream").path();
    Path runDir = Path.of(stream).getParent();
    assertThat(runDir.getFileName().toString()).startsWith("ipcscope-demo-unix-socket-" + parent + "-");
    assertThat(Path.of(stream).getFileName()).hasToString("stream.sock");
    String datagram = runDir.resolve("datagram.sock").toString();
    String abstractStream = "@ipcscope-demo-" + parent + "-stream";
    String clientDatagram = "@ipcscope-demo-" + parent + "-datagram-client";
    assertThat(truth.channels()).containsExactly(
        new TruthChannel("unix_socket", "client->server stream", client, server, 10L, 1000, stream),
        new TruthChannel("unix_socket", "server->client stream", server, client, 10L, 1000, stream),
        new TruthChannel("unix_socket", "client->server abstract", client, server, 10L, 1000, abstractStream),
        new TruthChannel("unix_socket", "server->client abstract", server, client, 10L, 1000, abstractStream),
        new TruthChannel("unix_socket", "client->server datagram", client, server, 10L, 1000, datagram),
        new TruthChannel("unix_socket", "server->client datagram", server, client, 10L, 1000, clientDatagram),
        new TruthChannel("unix_socket", "parent->peer socketpair", parent, peer, 10L, 1000, null),
        new TruthChannel("unix_socket", "peer->parent socketpair", peer, parent, 10L, 1000, null));
    assertThat(truth.signals()).containsExactlyInAnyOrder(
        new TruthSignal("SIGCHLD", server, parent, 1, TruthSignal.KERNEL, null),
        new TruthSignal("SIGCHLD", client, parent, 1, TruthSignal.KERNEL, null),
        new TruthSignal("SIGCHLD", peer, parent, 1, TruthSignal.KERNEL, null));
    assertThat(truth.fdPasses()).isEmpty();
    assertThat(truth.sharedMemory()).isEmpty();
    assertThat(Path.of(stream)).doesNotExist();
    assertThat(Path.of(datagram)).doesNotExist();
    assertThat(runDir).doesNotExist();
    assertThat(boundSockets("ipcscope-demo-" + parent + "-")).isEmpty();
    assertThat(boundSockets(runDir.toString())).isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void recordsLargerThanTheSocketBuffersAreStillOneSendEach() throws Exception {
    GroundTruth truth = runOk(dir, "unix-socket", "--messages", "3", "--size", "1000000");

    assertThat(truth.channels()).hasSize(8).allSatisfy(c -> {
      assertThat(c.messages()).as(c.name()).isEqualTo(3);
      assertThat(c.bytes()).as(c.name()).isEqualTo(3_000_000);
    });
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void continuousModeCountsWhatEachFlowCarried() throws Exception {
    GroundTruth truth = runOk(dir, "unix-socket", "--duration", "3", "--rate", "100", "--size", "32");

    // The client's rounds drive six channels together; the demo paces the socketpair on its own.
    // (Counts stay well under 3 s * 100/s: the children's JVMs start within the duration.)
    long rounds = truth.channel("client->server stream").messages();
    assertThat(rounds).isPositive().isLessThanOrEqualTo(300);
    assertThat(truth.channels().subList(0, 6)).allSatisfy(c -> {
      assertThat(c.messages()).as(c.name()).isEqualTo(rounds);
      assertThat(c.bytes()).as(c.name()).isEqualTo(rounds * 32);
    });
    long pair = truth.channel("parent->peer socketpair").messages();
    assertThat(pair).isPositive().isLessThanOrEqualTo(300);
    assertThat(truth.channel("peer->parent socketpair"))
        .extracting(TruthChannel::messages, TruthChannel::bytes).containsExactly(pair, pair * 32);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void refusesADatagramTheKernelCannotTakeBeforeStartingAnything() throws Exception {
    long max = UnixSocket.maxDatagram();

    Demo demo = Demo.run("unix-socket", "--messages", "1", "--size", Long.toString(max + 1));

    assertThat(demo.exitCode()).isEqualTo(1);
    assertThat(demo.err().lines().toList()).containsExactly("demo unix-socket: --size " + (max + 1)
        + " is more than a Unix datagram may carry here (" + max + " bytes: 4 MiB, or 2 * net.core.wmem_max - 32"
        + " if less)");
  }

  @Test
  void addressesAreSizedExactlyAndShownAsUsersSeeThem() {
    Address path = Address.path(Path.of("/tmp/d/s.sock"));
    Address abs = Address.abstractName("ipcscope-demo-1-stream");

    assertThat(path.display()).isEqualTo("/tmp/d/s.sock");
    assertThat(abs.display()).isEqualTo("@ipcscope-demo-1-stream");
    assertThat(Address.parse(path.display())).isEqualTo(path);
    assertThat(Address.parse(abs.display())).isEqualTo(abs);
    // sun_family (2 bytes), then the path and its NUL, or a NUL and the name without one.
    assertThat(path.sockaddr()).hasSize(2 + 13 + 1).endsWith(new byte[] {'c', 'k', 0});
    assertThat(abs.sockaddr()).hasSize(2 + 1 + 22).startsWith(new byte[] {1, 0, 0, 'i'});
    byte[] reported = new byte[110];
    System.arraycopy(path.sockaddr(), 0, reported, 0, path.sockaddr().length);
    assertThat(Address.of(reported, 16)).isEqualTo(path);
    assertThat(Address.of(abs.sockaddr(), abs.sockaddr().length)).isEqualTo(abs);
    assertThat(Address.of(new byte[] {1, 0}, 2)).isNull();
    assertThatThrownBy(() -> Address.abstractName("x".repeat(108)))
        .hasMessage("a Unix socket name has 1 to 107 bytes: @" + "x".repeat(108) + " has 108");
  }
}
