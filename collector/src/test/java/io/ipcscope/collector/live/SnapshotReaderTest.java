package io.ipcscope.collector.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.probes.event.Operation;
import io.ipcscope.collector.talk.SignalFlow;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.event.Mechanism;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotReaderTest {

  private static final ProcessNode HEAD = new ProcessNode(new ProcessKey(12, 300), "head", "/usr/bin/head", 11,
      new ProcessDetails("head -c 10 /dev/zero", 0, ""));
  private static final ProcessNode CAT = new ProcessNode(new ProcessKey(13, 301), "cat", "/usr/bin/cat", 11);

  @Test
  void aSnapshotReadsBackIntoTheSameGraph() throws IOException {
    TalkGraph.Snapshot graph = new TalkGraph.Snapshot(List.of(HEAD, CAT), List.of(
        new Edge(new EdgeKey(HEAD.key(), CAT.key(), Mechanism.PIPE, ChannelKey.pipe(77)), "", true, 2, 1000, 0, 10,
            20, 1, 500, 700, 1000),
        new Edge(new EdgeKey(HEAD.key(), CAT.key(), Mechanism.TCP,
            ChannelKey.inetFlow(Mechanism.TCP, 0x7f000001L << 16 | 40000, 0x7f000001L << 16 | 8080)),
            "127.0.0.1:8080", true, 1, 9, 3, 30, 40, 0, 0, 0, 0),
        new Edge(new EdgeKey(CAT.key(), HEAD.key(), Mechanism.SIGNAL, null), "", true, 1, 0, 0, 50, 50, 1, 3, 3, 0)));
    String line = "{\"type\":\"snapshot\",\"host\":\"box\",\"seq\":7,\"published_ns\":99,\"health\":{\"events\":5,"
        + "\"lost_per_cpu\":[0,2],\"edges\":3,\"evicted_processes\":4},\"graph\":" + GraphJson.toJson(graph, 0).strip()
        + "}";

    SnapshotReader.RemoteSnapshot read = SnapshotReader.read(line);

    assertThat(GraphJson.toJson(read.graph(), 0)).isEqualTo(GraphJson.toJson(graph, 0));
    assertThat(read.publishedNanos()).isEqualTo(99);
    assertThat(read.host()).isEqualTo("box");
    assertThat(read.seq()).isEqualTo(7);
    assertThat(read.health().events()).isEqualTo(5);
    assertThat(read.health().lost()).isEqualTo(2);
    assertThat(read.health().evictedProcesses()).isEqualTo(4);
  }

  @Test
  void recentOperationsAfterTheAskedSeqComeBackWithTheirEnds() throws IOException {
    RecentEvent write = new RecentEvent(41, 1_000, HEAD.key(), "head", 12, Mechanism.PIPE, Operation.WRITE,
        Role.PRODUCER, ChannelKey.pipe(77), 500, null, 0, "", -1, 0, 500, "");
    RecentEvent read = new RecentEvent(42, 3_000, CAT.key(), "cat", 13, Mechanism.PIPE, Operation.READ,
        Role.CONSUMER, ChannelKey.pipe(77), 500, HEAD.key(), 12, "head", 2_000, 0, 500,
        "4bf92f3577b34da6a3ce929d0e0e4736");
    RecentEvent kill = new RecentEvent(43, 4_000, CAT.key(), "cat", 13, Mechanism.SIGNAL, Operation.GENERATE,
        Role.PRODUCER, null, 0, null, 12, "head", -1, 15, 0, "");
    Publication p = new Publication(7, 5_000, new TalkGraph.Snapshot(List.of(HEAD, CAT), List.of()),
        io.ipcscope.collector.otel.CollectorHealth.EMPTY, List.of(write, read, kill));
    LiveMessages messages = new LiveMessages(new LiveInfo("0.1.0", "box", 1, 1_000_000, 0));

    SnapshotReader.RemoteSnapshot all = SnapshotReader.read(new String(
        messages.snapshot(new Published(p, 0), 5_000, 0), java.nio.charset.StandardCharsets.UTF_8));
    SnapshotReader.RemoteSnapshot newer = SnapshotReader.read(new String(
        messages.snapshot(new Published(p, 0), 5_000, 42), java.nio.charset.StandardCharsets.UTF_8));
    SnapshotReader.RemoteSnapshot none = SnapshotReader.read(new String(
        messages.snapshot(new Published(p, 0), 5_000, -1), java.nio.charset.StandardCharsets.UTF_8));

    // times move to the epoch clock, like every other time in a snapshot
    assertThat(all.events()).containsExactly(
        new RecentEvent(41, 1_001_000, HEAD.key(), "head", 12, Mechanism.PIPE, Operation.WRITE, Role.PRODUCER,
            ChannelKey.pipe(77), 500, null, 0, "", -1, 0, 500, ""),
        new RecentEvent(42, 1_003_000, CAT.key(), "cat", 13, Mechanism.PIPE, Operation.READ, Role.CONSUMER,
            ChannelKey.pipe(77), 500, HEAD.key(), 12, "head", 2_000, 0, 500, "4bf92f3577b34da6a3ce929d0e0e4736"),
        new RecentEvent(43, 1_004_000, CAT.key(), "cat", 13, Mechanism.SIGNAL, Operation.GENERATE, Role.PRODUCER,
            null, 0, null, 12, "head", -1, 15, 0, ""));
    assertThat(newer.events()).extracting(RecentEvent::seq).containsExactly(43L);
    assertThat(none.events()).isEmpty();
  }

  @Test
  void signalFlowsAreWrittenAndReadBackAsTheyWere() throws IOException {
    SignalFlow usr1 = new SignalFlow(HEAD.key(), CAT.key(), 10, 4, 3, 1, 0, 1, 0, 3, 100, 900, 3, 3_000, 1_500);
    SignalFlow chld = new SignalFlow(CAT.key(), HEAD.key(), 17, 1, 0, 0, 1, 0, 0, 0, 950, 950, 0, 0, 0);
    TalkGraph.Snapshot graph = new TalkGraph.Snapshot(List.of(HEAD, CAT), List.of(
        new Edge(new EdgeKey(HEAD.key(), CAT.key(), Mechanism.SIGNAL, null), "", true, 3, 0, 0, 100, 900, 3, 3_000,
            1_500, 0)), List.of(usr1, chld));

    String json = GraphJson.toJson(graph, 1_000);
    SnapshotReader.RemoteSnapshot read = SnapshotReader.read("{\"type\":\"snapshot\",\"graph\":" + json.strip()
        + "}");

    assertThat(json).contains(",\"signals\":[{\"from\":\"12@300\",\"to\":\"13@301\",\"signal\":10,"
        + "\"name\":\"SIGUSR1\",\"sent\":4,\"queued\":3,\"blocked\":1,\"ignored\":0,\"merged\":1,"
        + "\"failed\":0,\"delivered\":3,\"latency_count\":3,\"latency_mean_ns\":1000,\"latency_max_ns\":1500,"
        + "\"first_seen_ns\":1100,\"last_seen_ns\":1900},{\"from\":\"13@301\",\"to\":\"12@300\","
        + "\"signal\":17,\"name\":\"SIGCHLD\",\"sent\":1,\"queued\":0,\"blocked\":0,\"ignored\":1,"
        + "\"merged\":0,\"failed\":0,\"delivered\":0,\"first_seen_ns\":1950,\"last_seen_ns\":1950}]}");
    assertThat(read.graph().signals()).containsExactly(
        new SignalFlow(HEAD.key(), CAT.key(), 10, 4, 3, 1, 0, 1, 0, 3, 1_100, 1_900, 3, 3_000, 1_500),
        new SignalFlow(CAT.key(), HEAD.key(), 17, 1, 0, 0, 1, 0, 0, 0, 1_950, 1_950, 0, 0, 0));
    assertThat(GraphJson.toJson(read.graph(), 0)).isEqualTo(json);
  }

  @Test
  void aGraphWithoutSignalsHasNoSignalsField() {
    assertThat(GraphJson.toJson(new TalkGraph.Snapshot(List.of(), List.of()), 0))
        .isEqualTo("{\"nodes\":[],\"edges\":[],\"channels\":[]}\n");
  }

  @Test
  void anErrorAnswerIsAnError() {
    assertThatThrownBy(() -> SnapshotReader.read("{\"type\":\"error\",\"error\":\"too many clients\"}"))
        .isInstanceOf(IOException.class).hasMessage("too many clients");
  }
}
