package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.it.OtlpReceiverStub.ReceivedSpan;
import io.ipcscope.agent.target.AgentOwnSockets;
import io.ipcscope.agent.target.TcpExchangesApart;
import io.ipcscope.agent.target.TcpSocketEcho;
import io.ipcscope.agent.target.UdpExchange;
import io.ipcscope.agent.target.UnixSocketEcho;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Unix-domain, TCP and UDP sockets between threads of one target: every connect, accept, write, read, send and
 * receive, once each, on the socket the kernel names, with its addresses; and the agent's own sockets never.
 */
class SocketIT {

  /** The targets read their channels' descriptors through sun.nio.ch to name them the way the agent does. */
  private static final Map<String, String> EXPORTS =
      Map.of("JDK_JAVA_OPTIONS", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED");
  private static final int MESSAGES = 10;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void unixSocketChannelEcho(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), EXPORTS, UnixSocketEcho.class,
          String.valueOf(MESSAGES), dir.resolve("echo.sock").toString());

      assertThat(run.exit()).as(run.stderr()).isZero();
      String client = run.value("client");
      String accepted = run.value("accepted");
      assertThat(client).startsWith("socket:[").isNotEqualTo(accepted);
      assertThat(accepted).startsWith("socket:[");
      List<JsonNode> ops = collector.lines("op");
      assertThat(ops).filteredOn(o -> o.path("mechanism").asText().equals("unix_socket"))
          .extracting(o -> o.path("channel").asText()).containsOnly(client, accepted);
      List<JsonNode> clientOps = on(ops, client);
      List<JsonNode> acceptedOps = on(ops, accepted);
      assertThat(concat(clientOps, acceptedOps)).allSatisfy(o -> {
        assertThat(o.path("mechanism").asText()).isEqualTo("unix_socket");
        assertThat(o.path("attributes").path("network.transport").asText()).isEqualTo("unix");
        assertThat(o.path("attributes").path("ipc.unix.path").asText()).isEqualTo(run.value("path"));
        assertThat(o.path("tid").asLong()).isPositive();
        assertThat(o.path("end").asLong()).isGreaterThanOrEqualTo(o.path("start").asLong());
      });
      // one gathering write of 6 per message; scattering reads of 6 bytes in all per message
      assertThat(steps(clientOps, "connect", "write")).containsExactlyElementsOf(
          concat(List.of(tuple("connect", -1L)), repeat(tuple("write", 6L), MESSAGES)));
      assertReads(clientOps, Integer.parseInt(run.value("client.reads")), 6L * MESSAGES);
      assertThat(steps(acceptedOps, "accept", "write")).containsExactlyElementsOf(
          concat(List.of(tuple("accept", -1L)), repeat(tuple("write", 6L), MESSAGES)));
      assertReads(acceptedOps, Integer.parseInt(run.value("server.reads")), 6L * MESSAGES);
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void tcpEchoWithSocketAndServerSocket(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), Map.of(), TcpSocketEcho.class,
          String.valueOf(MESSAGES));

      assertThat(run.exit()).as(run.stderr()).isZero();
      String client = run.value("client");
      String accepted = run.value("accepted");
      String serverPort = run.value("server.port");
      String clientPort = run.value("client.port");
      List<JsonNode> ops = collector.lines("op");
      assertThat(ops).filteredOn(o -> o.path("mechanism").asText().equals("tcp"))
          .extracting(o -> o.path("channel").asText()).containsOnly(client, accepted);
      List<JsonNode> clientOps = on(ops, client);
      List<JsonNode> acceptedOps = on(ops, accepted);
      assertThat(clientOps).allSatisfy(o -> assertInet(o, "tcp", clientPort, serverPort));
      assertThat(acceptedOps).allSatisfy(o -> assertInet(o, "tcp", serverPort, clientPort));
      List<Tuple> writes = concat(repeat(tuple("write", 6L), MESSAGES), List.of(tuple("write", 1L)));
      assertThat(steps(clientOps, "connect", "write"))
          .containsExactlyElementsOf(concat(List.of(tuple("connect", -1L)), writes));
      assertReads(clientOps, Integer.parseInt(run.value("client.reads")), 6L * MESSAGES + 1);
      assertThat(steps(acceptedOps, "accept", "write"))
          .containsExactlyElementsOf(concat(List.of(tuple("accept", -1L)), writes));
      assertReads(acceptedOps, Integer.parseInt(run.value("server.reads")), 6L * MESSAGES + 1);
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void udpBetweenDatagramSocketAndDatagramChannel(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), Map.of(), UdpExchange.class,
          String.valueOf(MESSAGES));

      assertThat(run.exit()).as(run.stderr()).isZero();
      String a = run.value("a");
      String b = run.value("b");
      String aPort = run.value("a.port");
      String bPort = run.value("b.port");
      List<JsonNode> ops = collector.lines("op");
      assertThat(ops).filteredOn(o -> o.path("mechanism").asText().equals("udp"))
          .extracting(o -> o.path("channel").asText()).containsOnly(a, b);
      List<JsonNode> aOps = on(ops, a);
      List<JsonNode> bOps = on(ops, b);
      assertThat(aOps).allSatisfy(o -> assertInet(o, "udp", aPort, bPort));
      assertThat(bOps).allSatisfy(o -> assertInet(o, "udp", bPort, aPort));
      List<Tuple> aSteps = new ArrayList<>();
      List<Tuple> bSteps = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        aSteps.addAll(List.of(tuple("send", 5L), tuple("receive", 7L)));
        bSteps.addAll(List.of(tuple("receive", 5L), tuple("send", 7L)));
      }
      aSteps.addAll(List.of(tuple("receive", 4L), tuple("send", 3L)));
      bSteps.addAll(List.of(tuple("connect", -1L), tuple("send", 4L), tuple("receive", 3L)));
      assertThat(steps(aOps)).containsExactlyElementsOf(aSteps);
      assertThat(steps(bOps)).containsExactlyElementsOf(bSteps);
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void theAgentsOwnSocketsAreNeverReported(TargetJvm.Jdk jdk) throws Exception {
    int otlpPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      otlpPort = free.getLocalPort();
    }
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      Map<String, String> env = Map.of("JDK_JAVA_OPTIONS", EXPORTS.get("JDK_JAVA_OPTIONS"),
          "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + otlpPort);
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), env, AgentOwnSockets.class,
          collector.path().toString(), String.valueOf(otlpPort));

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(collector.lines("target")).as("the target's own line reached the collector").hasSize(1);
      List<JsonNode> ops = collector.lines("op");
      // neither the agent's link (its export thread) nor the target's connection to the same path
      assertThat(ops).noneMatch(o -> o.path("mechanism").asText().equals("unix_socket"));
      assertThat(on(ops, run.value("otlp.client"))).as("the connection to the OTLP endpoint").isEmpty();
      String otlpAccepted = run.value("otlp.accepted");
      assertThat(steps(on(ops, otlpAccepted), "accept")).containsExactly(tuple("accept", -1L));
      assertReads(on(ops, otlpAccepted), Integer.parseInt(run.value("otlp.reads")), 5);
      // the same exchange to a port that is not the endpoint's: a pending connect is one connect
      assertThat(steps(on(ops, run.value("other.client"))))
          .containsExactly(tuple("connect", -1L), tuple("write", 2L));
      String otherAccepted = run.value("other.accepted");
      assertThat(steps(on(ops, otherAccepted), "accept")).containsExactly(tuple("accept", -1L));
      assertReads(on(ops, otherAccepted), Integer.parseInt(run.value("other.reads")), 2);
      assertThat(ops).extracting(o -> o.path("channel").asText()).containsOnly(otlpAccepted,
          run.value("other.client"), otherAccepted);
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void theAgentsOwnOtlpExportIsNeverReported(TargetJvm.Jdk jdk) throws Exception {
    try (OtlpReceiverStub otlp = new OtlpReceiverStub()) {
      // the exporter sends every 5 s: the first exchange's spans go while the target sleeps, the second's at its end
      TargetJvm.Result run = TargetJvm.run(jdk, "export=otlp",
          Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint()), TcpExchangesApart.class, "7000");

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(otlp.requests()).as("an export while the target ran, then one at its end").isGreaterThanOrEqualTo(2);
      List<Tuple> expected = new ArrayList<>();
      for (String exchange : List.of("1", "2")) {
        String client = run.value(exchange + ".client");
        String accepted = run.value(exchange + ".accepted");
        expected.addAll(List.of(tuple("connect " + client, client, ""), tuple("write " + client, client, "3"),
            tuple("accept " + accepted, accepted, ""), tuple("read " + accepted, accepted, "3")));
      }
      // the exporter's HttpClient connected and wrote, on threads of its own, between the two: not a span of it
      assertThat(otlp.spans()).filteredOn(s -> s.attribute("ipc.mechanism").equals("tcp"))
          .extracting(ReceivedSpan::name, s -> s.attribute("ipc.channel"),
              s -> s.attribute("messaging.message.body.size"))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(otlp.spans()).noneMatch(s -> s.attribute("network.peer.port").equals(String.valueOf(otlp.port())));
    }
  }

  private static void assertInet(JsonNode op, String transport, String localPort, String peerPort) {
    JsonNode attributes = op.path("attributes");
    assertThat(op.path("mechanism").asText()).isEqualTo(transport);
    assertThat(attributes.path("network.transport").asText()).isEqualTo(transport);
    assertThat(attributes.path("network.local.port").asText()).isEqualTo(localPort);
    assertThat(attributes.path("network.peer.port").asText()).isEqualTo(peerPort);
    assertThat(attributes.path("network.peer.address").asText()).isEqualTo("127.0.0.1");
    assertThat(attributes.path("ipc.loopback").asText()).isEqualTo("true");
    assertThat(op.path("peer_pid").asLong()).isZero();
    assertThat(op.path("tid").asLong()).isPositive();
  }

  /** The reads on a channel: as many as the target made, together the bytes sent to it. */
  private static void assertReads(List<JsonNode> ops, int calls, long bytes) {
    List<JsonNode> reads = ops.stream().filter(o -> o.path("operation").asText().equals("read"))
        .collect(Collectors.toList());
    assertThat(reads).hasSize(calls).allSatisfy(r -> assertThat(r.path("bytes").asLong()).isPositive());
    assertThat(reads.stream().mapToLong(r -> r.path("bytes").asLong()).sum()).isEqualTo(bytes);
  }

  private static List<JsonNode> on(List<JsonNode> ops, String channel) {
    return ops.stream().filter(o -> o.path("channel").asText().equals(channel)).collect(Collectors.toList());
  }

  /** (operation, bytes) of the operations, in order, keeping only the named operations (all when none named). */
  private static List<Tuple> steps(List<JsonNode> ops, String... operations) {
    List<String> keep = List.of(operations);
    return ops.stream().filter(o -> keep.isEmpty() || keep.contains(o.path("operation").asText()))
        .map(o -> tuple(o.path("operation").asText(), o.path("bytes").asLong())).collect(Collectors.toList());
  }

  private static <T> List<T> repeat(T t, int times) {
    return Collections.nCopies(times, t);
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
