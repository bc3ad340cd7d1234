package io.ipcscope.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.agent.AgentInbox;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.otel.AgentJoin;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An agent's reports to the collector are the collector's own traffic: no spans of them. */
class CollectorAgentTrafficTest {

  private static final String AGENT_SOCKET = "/run/ipcscope/agent.sock";
  private static final long SERVER_SIDE = 77;

  private final List<SpanData> spans = new ArrayList<>();
  private final Collector collector = new Collector(new ProcessTable(), Resource.empty(), 0,
      SpanFactory.Options.defaults(1), 1_000_000, spans::add)
      .joiningAgents(new AgentInbox(10), AgentJoin.Options.defaults(1_000_000, 1_000_000), AGENT_SOCKET,
          inode -> inode == SERVER_SIDE);

  @Test
  void theHelloBeforeTheAcceptTheReportsAfterItAndTheWelcomeAreLeftOutOtherSocketsAreNot() {
    collector.accept(write(10, 0, AGENT_SOCKET)); // the hello: the collector's end has no inode yet
    collector.accept(write(10, SERVER_SIDE, "")); // a mark whose name was not resolved
    collector.accept(write(SERVER_SIDE, 10, AGENT_SOCKET)); // the welcome, as the agent reads it
    collector.accept(write(11, 12, "/run/other.sock"));

    assertThat(collector.ignored()).isEqualTo(3);
    assertThat(spans).extracting(SpanData::getName).containsExactly("write /run/other.sock");
  }

  private static ResolvedEvent write(long channel, long peer, String path) {
    IpcEvent e = new IpcEvent(1_000, 1_000_000_000L, channel, 40, peer, 100, 101, 0, 0, 0, 40, 5, -1, 0,
        Mechanism.UNIX_SOCKET, Operation.WRITE, 1, "java", 0, path);
    return new ResolvedEvent(e, "java", 0, "", ChannelKey.unixSocket(channel), path, false);
  }
}
