package io.ipcscope.collector.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent socket with real connections from this JVM: SO_PEERCRED names this process, so a hello for our own pid
 * is welcome and any other is refused.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentServerTest {

  private static final int OWN_PID = (int) ProcessHandle.current().pid();
  private static final String OP = "{\"type\":\"op\",\"span_id\":\"5b8aa5a2d2c872e8\",\"mechanism\":\"pipe\","
      + "\"operation\":\"write\",\"channel\":\"pipe:[4711]\",\"bytes\":64,\"peer_pid\":4250,\"tid\":4243,"
      + "\"start\":81234567890123,\"end\":81234567901234,\"trace_id\":\"0af7651916cd43dd8448eb211c80319c\","
      + "\"parent_span_id\":\"b7ad6b7169203331\",\"sampled\":true,"
      + "\"attributes\":{\"ipc.child.command\":\"sort -n\",\"ipc.stream\":\"stdin\"}}\n";

  private static final String SUMMARY = "{\"type\":\"summary\",\"span_id\":\"6c9bb6b3e3d983f9\","
      + "\"mechanism\":\"pipe\",\"operation\":\"write\",\"channel\":\"pipe:[4711]\",\"count\":4900,"
      + "\"bytes\":313600,\"peer_pid\":4250,\"tid\":4243,\"start\":81234567990000,\"end\":81235567000000,"
      + "\"attributes\":{\"ipc.stream\":\"stdin\"}}\n";

  @TempDir Path dir;
  private final List<String> notices = new CopyOnWriteArrayList<>();
  private final AgentInbox inbox = new AgentInbox(1_000);
  private AgentServer server;

  @BeforeEach
  void start() throws IOException {
    server = AgentServer.start(dir.resolve("run/ipcscope/agent.sock"), inbox,
        new AgentServer.Options(64, 1024, 300_000_000L, "9.9.9", notices::add));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anyUserMayConnectTheSocketIs0666InADirectoryOthersMayPass() throws IOException {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket())))
        .isEqualTo("rw-rw-rw-");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socket().getParent())))
        .isEqualTo("rwx--x--x");
  }

  @Test
  void aHelloForItsOwnPidIsWelcomeAndItsOperationsAndMarksReachTheInboxInOrder() throws Exception {
    try (Agent agent = connect()) {
      agent.send(hello(OWN_PID));
      assertThat(agent.readLine()).isEqualTo("{\"type\":\"welcome\",\"collector\":\"9.9.9\"}");
      agent.send(OP + "{\"type\":\"mark\",\"sent_through\":81234568000000,\"accepted\":1200,\"dropped\":3}\n");
      List<AgentMessage> got = await(3);
      assertThat(got.get(0)).isEqualTo(new AgentMessage.Hello(OWN_PID, "orders", "0.1.0", "17.0.15+6"));
      assertThat(got.get(1)).isEqualTo(new AgentMessage.Op(new AgentOp(OWN_PID, "5b8aa5a2d2c872e8", "pipe", "write",
          "pipe:[4711]", 64, 4250, 4243, 81234567890123L, 81234567901234L, "0af7651916cd43dd8448eb211c80319c",
          "b7ad6b7169203331", true, List.of(Map.entry("ipc.child.command", "sort -n"),
              Map.entry("ipc.stream", "stdin")))));
      assertThat(got.get(2)).isEqualTo(new AgentMessage.Mark(OWN_PID, 81234568000000L, 1200, 3));
      assertThat(inbox.connected()).isEqualTo(1);
      assertThat(inbox.welcomed()).isEqualTo(1);
      assertThat(inbox.ops()).isEqualTo(1);
    }
    assertThat(await(1)).containsExactly(new AgentMessage.Gone(OWN_PID));
    assertThat(inbox.connected()).isZero();
    assertThat(notices).isEmpty();
  }

  @Test
  void anAgentThatOffersProtocol2IsToldSoAndItsSummariesAreCountedExactly() throws Exception {
    try (Agent agent = connect()) {
      agent.send(hello(OWN_PID).replace("\"protocol\":1,", "\"protocol\":1,\"max_protocol\":2,"));
      assertThat(agent.readLine()).isEqualTo("{\"type\":\"welcome\",\"collector\":\"9.9.9\",\"protocol\":2}");
      agent.send(OP + SUMMARY);
      List<AgentMessage> got = await(3);
      assertThat(got.get(2)).isEqualTo(new AgentMessage.Summary(new AgentOp(OWN_PID, "6c9bb6b3e3d983f9", "pipe",
          "write", "pipe:[4711]", 313_600, 4250, 4243, 81234567990000L, 81235567000000L, "", "", true,
          List.of(Map.entry("ipc.stream", "stdin"))), 4_900));
      assertThat(inbox.ops()).isEqualTo(1 + 4_900);
      assertThat(inbox.bytes()).isEqualTo(64 + 313_600);
      assertThat(inbox.summaries()).isEqualTo(1);
    }
    assertThat(notices).isEmpty();
  }

  @Test
  void aSummaryOnAProtocol1ConnectionAndABadSummaryAreSkippedAndCounted() throws Exception {
    try (Agent agent = connect()) {
      agent.send(hello(OWN_PID));
      assertThat(agent.readLine()).isEqualTo("{\"type\":\"welcome\",\"collector\":\"9.9.9\"}");
      agent.send(SUMMARY + OP);
      await(2);
    }
    try (Agent agent = connect()) {
      agent.send(hello(OWN_PID).replace("\"protocol\":1,", "\"protocol\":1,\"max_protocol\":5,"));
      assertThat(agent.readLine()).endsWith(",\"protocol\":2}");
      agent.send(SUMMARY.replace("\"count\":4900", "\"count\":0") + SUMMARY.replace("\"count\":4900,", "")
          + SUMMARY.replace("\"bytes\":313600", "\"bytes\":-5") + OP);
      await(3);
    }
    assertThat(inbox.badLines()).isEqualTo(4);
    assertThat(inbox.ops()).isEqualTo(2);
    assertThat(inbox.summaries()).isZero();
    assertThat(notices).hasSize(2).allSatisfy(n -> assertThat(n).doesNotContain("\n").doesNotContain("\tat "));
    assertThat(notices.get(0)).contains("a summary on a protocol 1 connection");
    assertThat(notices.get(1)).contains("summary: count 0 is not a number of operations");
  }

  @Test
  void anAgentThatSpeaksOnlyANewerProtocolIsRefused() throws Exception {
    try (Agent agent = connect()) {
      agent.send(hello(OWN_PID).replace("\"protocol\":1,", "\"protocol\":3,\"max_protocol\":4,"));
      assertThat(agent.readLine()).isEqualTo("{\"type\":\"error\",\"message\":\"hello: protocol 3 to 4 is not "
          + "supported (this collector speaks 1 to 2)\"}");
      assertThat(agent.readLine()).isNull();
    }
    assertThat(inbox.rejected()).isEqualTo(1);
  }

  @Test
  void aHelloForAnotherPidIsAnsweredWithAnErrorAndClosed() throws Exception {
    try (Agent agent = connect()) {
      agent.send(hello(OWN_PID + 1) + OP);
      String answer = agent.readLine();
      assertThat(answer).startsWith("{\"type\":\"error\",\"message\":\"hello for pid " + (OWN_PID + 1)
          + " on a connection of pid " + OWN_PID + ": an agent speaks only for its own process");
      assertThat(agent.readLine()).as("closed after the error").isNull();
    }
    assertThat(inbox.rejected()).isEqualTo(1);
    assertThat(inbox.welcomed()).isZero();
    assertThat(inbox.drain(m -> { })).as("nothing reached the collector").isZero();
    assertThat(notices).hasSize(1);
    assertThat(notices.get(0)).startsWith("agent socket: pid " + OWN_PID + ": hello for pid " + (OWN_PID + 1))
        .endsWith("; connection closed").doesNotContain("\n");
  }

  @Test
  void beforeItsHelloAnAgentMayNotSendOperations() throws Exception {
    try (Agent agent = connect()) {
      agent.send(OP);
      assertThat(agent.readLine()).isEqualTo(
          "{\"type\":\"error\",\"message\":\"the first line must be a hello, not \\\"op\\\"\"}");
      assertThat(agent.readLine()).isNull();
    }
    assertThat(inbox.rejected()).isEqualTo(1);
  }

  @Test
  void garbageAndUnknownTypesAreSkippedAndCountedWithOneNoticeAndTheConnectionGoesOn() throws Exception {
    try (Agent agent = connect()) {
      agent.send(hello(OWN_PID));
      assertThat(agent.readLine()).contains("welcome");
      agent.send("not json at all\n{\"type\":\"gossip\"}\n{\"type\":\"op\",\"span_id\":\"0000000000000000\"}\n"
          + "[1,2]\n\n" + OP);
      List<AgentMessage> got = await(2);
      assertThat(got.get(1)).isInstanceOf(AgentMessage.Op.class);
    }
    assertThat(inbox.badLines()).isEqualTo(4);
    assertThat(notices).hasSize(1);
    assertThat(notices.get(0)).startsWith("agent socket: pid " + OWN_PID + ": line skipped: not JSON");
  }

  @Test
  void aLineLongerThanTheBufferClosesItsConnectionOnly() throws Exception {
    try (Agent other = connect(); Agent agent = connect()) {
      other.send(hello(OWN_PID));
      agent.send(hello(OWN_PID));
      assertThat(other.readLine()).contains("welcome");
      assertThat(agent.readLine()).contains("welcome");
      agent.send("{\"type\":\"op\",\"channel\":\"" + "x".repeat(2_000) + "\"}\n");
      assertThat(agent.readLine()).isEqualTo(
          "{\"type\":\"error\",\"message\":\"a line longer than 1024 bytes\"}");
      assertThat(agent.readLine()).isNull();
      other.send(OP);
      List<AgentMessage> got = await(4); // two hellos, a goodbye, the other's operation
      assertThat(got).filteredOn(m -> m instanceof AgentMessage.Op).hasSize(1);
      assertThat(got).filteredOn(m -> m instanceof AgentMessage.Gone).hasSize(1);
    }
    assertThat(inbox.badLines()).isEqualTo(1);
  }

  @Test
  void aConnectionWithoutHelloIsClosedAfterTheHelloTimeout() throws Exception {
    try (Agent agent = connect()) {
      long t0 = System.nanoTime();
      assertThat(agent.readLine()).isEqualTo("{\"type\":\"error\",\"message\":\"no hello within 300 ms\"}");
      assertThat(agent.readLine()).isNull();
      assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(250L, 2_500L);
    }
    assertThat(inbox.rejected()).isEqualTo(1);
  }

  @Test
  void manyAgentsAtOnce() throws Exception {
    List<Agent> agents = new ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        agents.add(connect());
      }
      for (Agent a : agents) {
        a.send(hello(OWN_PID));
      }
      for (Agent a : agents) {
        assertThat(a.readLine()).contains("welcome");
        a.send(OP);
      }
      List<AgentMessage> got = await(80);
      assertThat(got).filteredOn(m -> m instanceof AgentMessage.Op).hasSize(40);
      assertThat(server.connections()).isEqualTo(40);
    } finally {
      for (Agent a : agents) {
        a.close();
      }
    }
  }

  @Test
  void aSecondServerOnTheSamePathIsRefusedAndAStaleSocketIsReplaced() throws Exception {
    assertThatThrownBy(() -> AgentServer.start(server.socket(), inbox,
        AgentServer.Options.defaults("1", notices::add)))
        .isInstanceOf(IOException.class).hasMessage("another collector answers on " + server.socket());
    Path stale = dir.resolve("stale.sock");
    try (var s = java.nio.channels.ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(stale)); // bound, never accepting, then closed: a dead collector's file
    }
    assertThat(Files.exists(stale)).isTrue();
    try (AgentServer second = AgentServer.start(stale, inbox, AgentServer.Options.defaults("1", notices::add));
        Agent agent = connect(second.socket())) {
      agent.send(hello(OWN_PID));
      assertThat(agent.readLine()).contains("welcome");
    }
    assertThat(Files.exists(stale)).as("removed at close").isFalse();
  }

  private static String hello(int pid) {
    return "{\"type\":\"hello\",\"protocol\":1,\"pid\":" + pid
        + ",\"service\":\"orders\",\"agent\":\"0.1.0\",\"runtime\":\"17.0.15+6\"}\n";
  }

  private List<AgentMessage> await(int n) throws InterruptedException {
    return await(inbox, n);
  }

  /** The next {@code n} messages of {@code inbox}, waiting up to 10 s for them. */
  static List<AgentMessage> await(AgentInbox inbox, int n) throws InterruptedException {
    List<AgentMessage> got = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (got.size() < n && System.nanoTime() < deadline) {
      inbox.drain(got::add);
      Thread.sleep(10);
    }
    assertThat(got).as("messages in the inbox").hasSize(n);
    return got;
  }

  private Agent connect() throws IOException {
    return connect(server.socket());
  }

  private static Agent connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    return new Agent(channel);
  }

  /** An agent's end: writes lines, reads the answers (blocking, bounded by the test's timeout). */
  private record Agent(SocketChannel channel) implements AutoCloseable {

    void send(String text) throws IOException {
      ByteBuffer b = StandardCharsets.UTF_8.encode(text);
      while (b.hasRemaining()) {
        channel.write(b);
      }
    }

    /** The next line, or null at end of stream. */
    String readLine() throws IOException {
      StringBuilder line = new StringBuilder();
      ByteBuffer one = ByteBuffer.allocate(1);
      while (true) {
        one.clear();
        int n;
        try {
          n = channel.read(one);
        } catch (IOException reset) {
          n = -1; // closed with our unread data in its buffer: a reset, as good as the end
        }
        if (n < 0) {
          return line.length() == 0 ? null : line.toString();
        }
        char c = (char) one.get(0);
        if (c == '\n') {
          return line.toString();
        }
        line.append(c);
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
