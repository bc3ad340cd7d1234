package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.GroundTruthJson;
import io.ipcscope.demo.truth.TruthChannel;
import io.ipcscope.demo.truth.TruthProcess;
import io.ipcscope.demo.truth.TruthSignal;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The tcp and udp workloads as real processes: exact channels, the server's address as path, nothing left. */
class NetWorkloadTest {

  private static final long ME = ProcessHandle.current().pid();

  @TempDir Path dir;

  private GroundTruth runOk(String... args) throws Exception {
    Path truthFile = dir.resolve("truth.json");
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--truth";
    all[args.length + 1] = truthFile.toString();
    Demo demo = Demo.run(all);
    assertThat(demo.exitCode()).as(demo.err()).isZero();
    assertThat(demo.err().lines().toList()).as(demo.err())
        .hasSize(2)
        .first().asString().startsWith("demo " + args[0] + ": pids parent=" + ME + " server=");
    GroundTruth truth = GroundTruthJson.read(truthFile);
    assertThat(truth.workload()).isEqualTo(args[0]);
    assertThat(truth.processes()).extracting(TruthProcess::role, TruthProcess::comm)
        .containsExactly(tuple("parent", truth.process("parent").comm()), tuple("server", "java"),
            tuple("client", "java"));
    assertThat(truth.signals()).containsExactlyInAnyOrder(
        new TruthSignal("SIGCHLD", truth.pid("server"), ME, 1, TruthSignal.KERNEL, null),
        new TruthSignal("SIGCHLD", truth.pid("client"), ME, 1, TruthSignal.KERNEL, null));
    assertLeftNothing(truth);
    return truth;
  }

  static void assertLeftNothing(GroundTruth truth) throws Exception {
    for (TruthProcess p : truth.processes()) {
      if (!p.role().endsWith("parent")) {
        assertThat(Demo.alive(p.pid())).as("%s (pid %d) is gone", p.role(), p.pid()).isFalse();
      }
    }
    assertThat(Run.tempDirs(Path.of(System.getProperty("java.io.tmpdir")), truth.workload()))
        .extracting(Run.TempDir::demoPid)
        .doesNotContain(ME);
  }

  private static String port(TruthChannel channel) {
    return channel.path().substring(channel.path().lastIndexOf(':') + 1);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void tcpEchoesEveryRequestOnAnIpv4AndAnIpv6Connection() throws Exception {
    GroundTruth truth = runOk("tcp", "--messages", "10", "--size", "100");

    long server = truth.pid("server");
    long client = truth.pid("client");
    String v4 = "127.0.0.1:" + port(truth.channel("client->server ipv4"));
    String v6 = "[::1]:" + port(truth.channel("client->server ipv6"));
    assertThat(truth.channels()).containsExactly(
        new TruthChannel("tcp", "client->server ipv4", client, server, 10L, 1000, v4),
        new TruthChannel("tcp", "server->client ipv4", server, client, 10L, 1000, v4),
        new TruthChannel("tcp", "client->server ipv6", client, server, 10L, 1000, v6),
        new TruthChannel("tcp", "server->client ipv6", server, client, 10L, 1000, v6));
    assertThat(Integer.parseInt(port(truth.channel("server->client ipv6")))).isBetween(1, 65535);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void tcpWritesEvenAMegabyteRecordInOneCall() throws Exception {
    GroundTruth truth = runOk("tcp", "--messages", "3", "--size", "1000000");

    assertThat(truth.channels()).extracting(TruthChannel::messages, TruthChannel::bytes)
        .containsOnly(tuple(3L, 3_000_000L));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void tcpCountsWhatWasSentInContinuousMode() throws Exception {
    GroundTruth truth = runOk("tcp", "--duration", "1.5", "--rate", "100", "--size", "32");

    long n = truth.channel("client->server ipv4").messages();
    assertThat(n).isGreaterThan(1).isLessThanOrEqualTo(150);
    assertThat(truth.channels()).hasSize(4)
        .extracting(TruthChannel::messages, TruthChannel::bytes)
        .containsOnly(tuple(n, n * 32));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void udpSendsEveryDatagramBackFromTheServersAddress() throws Exception {
    GroundTruth truth = runOk("udp", "--messages", "10", "--size", "100", "--rate", "1000");

    long server = truth.pid("server");
    long client = truth.pid("client");
    String path = truth.channel("client->server").path();
    assertThat(path).matches("127\\.0\\.0\\.1:[1-9][0-9]*");
    assertThat(truth.channels()).containsExactly(
        new TruthChannel("udp", "client->server", client, server, 10L, 1000, path),
        new TruthChannel("udp", "server->client", server, client, 10L, 1000, path));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void udpCarriesTheLargestIpv4Datagram() throws Exception {
    GroundTruth truth = runOk("udp", "--messages", "3", "--size", Integer.toString(UdpWorkload.MAX_DATAGRAM));

    assertThat(truth.channels()).extracting(TruthChannel::messages, TruthChannel::bytes)
        .containsOnly(tuple(3L, 3L * 65_507));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void udpCountsWhatWasSentInContinuousMode() throws Exception {
    GroundTruth truth = runOk("udp", "--duration", "1.5", "--rate", "100", "--size", "32");

    long n = truth.channel("client->server").messages();
    assertThat(n).isGreaterThan(1).isLessThanOrEqualTo(150);
    assertThat(truth.channels()).hasSize(2)
        .extracting(TruthChannel::messages, TruthChannel::bytes)
        .containsOnly(tuple(n, n * 32));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void udpRefusesARecordNoDatagramCarriesBeforeStartingAnything() {
    Demo demo = Demo.run("udp", "--messages", "1", "--size", "65508");

    assertThat(demo.exitCode()).isEqualTo(1);
    assertThat(demo.err().lines().toList()).containsExactly(
        "demo udp: --size 65508 is more than one UDP datagram over IPv4 carries (65507 bytes)");
  }
}
