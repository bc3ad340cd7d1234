package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.CAT;
import static io.ipcscope.tui.Frames.HEAD;
import static io.ipcscope.tui.Frames.PIPE;
import static io.ipcscope.tui.Frames.QUEUE;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.edge;
import static io.ipcscope.tui.Frames.frame;
import static io.ipcscope.tui.Frames.read;
import static io.ipcscope.tui.Frames.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.ipcscope.collector.talk.RecentEvent;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Events view, the detail pane and the mechanism families, on fixture frames with operations. */
class TopDetailTest {

  private static final long MS = 1_000_000L;
  private final TopModel model = new TopModel(ZoneOffset.UTC);

  /** Three writes and three reads on the pipe (latencies 3, 40 and 900 µs), and an idle queue edge. */
  private void pipeTraffic() {
    model.update(frame(SECOND, 100, List.of(write(1, SECOND - 9 * MS, 100),
        read(2, SECOND - 9 * MS + 3_000, 100, 3_000, "")), edge(PIPE, 1, 100, SECOND), edge(QUEUE, 2, 100, SECOND)));
    model.update(frame(2 * SECOND, 200, List.of(write(3, 2 * SECOND - 8 * MS, 200),
        read(4, 2 * SECOND - 8 * MS + 40_000, 200, 40_000, "4bf92f3577b34da6a3ce929d0e0e4736"),
        write(5, 2 * SECOND - 5 * MS, 300),
        read(6, 2 * SECOND - 5 * MS + 900_000, 300, 900_000, "0af7651916cd43dd8448eb211c80319c")),
        edge(PIPE, 3, 600, 2 * SECOND), edge(QUEUE, 2, 100, SECOND)));
  }

  @Test
  void theEventsViewListsOperationsNewestFirstWithTheirPeers() throws IOException {
    pipeTraffic();
    model.showView(TopModel.View.EVENTS);
    assertThat(model.eventRows()).extracting(EventRow::time, EventRow::actor, EventRow::peer, EventRow::channel)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("00:00:01.995", "cat[13]", "← head[12]", "pipe:[4242]"),
            org.assertj.core.groups.Tuple.tuple("00:00:01.995", "head[12]", "→ cat[13]", "pipe:[4242]"),
            org.assertj.core.groups.Tuple.tuple("00:00:01.992", "cat[13]", "← head[12]", "pipe:[4242]"),
            org.assertj.core.groups.Tuple.tuple("00:00:01.992", "head[12]", "→ cat[13]", "pipe:[4242]"),
            org.assertj.core.groups.Tuple.tuple("00:00:00.991", "cat[13]", "← head[12]", "pipe:[4242]"),
            org.assertj.core.groups.Tuple.tuple("00:00:00.991", "head[12]", "→ cat[13]", "pipe:[4242]"));
    assertThat(TopRendererTest.screenText(model, 80, 24).subList(1, 5)).containsExactly(
        "TIME         PROCESS    OP       CHANNEL                BYTES PEER           LAT",
        "00:00:01.995 cat[13]    read     pipe:[4242]              300 ← head[12]   900µs",
        "00:00:01.995 head[12]   write    pipe:[4242]              300 → cat[13]",
        "00:00:01.992 cat[13]    read     pipe:[4242]              200 ← head[12]    40µs");
    model.setFilter("write");
    assertThat(model.eventRows()).hasSize(3).allMatch(r -> r.actor().equals("head[12]"));
  }

  @Test
  void enterOnAnEdgeShowsItsLatencyHistogramLastOperationsAndTraces() throws IOException {
    pipeTraffic();
    TopKeys.apply(model, new KeyStroke(KeyType.Enter), 19); // the pipe, the busiest edge, is selected
    Detail d = model.detail().orElseThrow();
    assertThat(d.title()).isEqualTo("head[12] → cat[13]  pipe  pipe:[4242]");
    assertThat(d.latency().total()).isEqualTo(3);
    assertThat(d.latency().count(LatencyHistogram.bucket(3_000))).isEqualTo(1);
    assertThat(d.latency().quantileNanos(0.5)).isEqualTo(64_000); // 40 µs is in [32, 64) µs
    assertThat(d.recent()).hasSize(6);
    assertThat(d.traceIds()).containsExactly("0af7651916cd43dd8448eb211c80319c", "4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TopRendererTest.screenText(model, 80, 24)).containsExactly(
        "ipcscope top  Talk Channels Processes Signals Map Events  replay ipc.json",
        "head[12] → cat[13]  pipe  pipe:[4242]                                   Esc back",
        " messages 3 (2/s)                        bytes 600 (500/s)",
        " latency mean 15µs max 40µs              backlog max 300",
        " first seen 00:00:00.000                 last seen now",
        "LATENCY 3 consumed along it since top started  p50 64µs  p90 1.0ms  p99 1.0ms",
        "        2µs-4µs ███████████████████████████████████████████████████████        1",
        "        4µs-8µs                                                                0",
        "       8µs-16µs                                                                0",
        "      16µs-32µs                                                                0",
        "      32µs-64µs ███████████████████████████████████████████████████████        1",
        "          ≥64µs ███████████████████████████████████████████████████████        1",
        "LAST OPERATIONS",
        "TIME         PROCESS    OP       CHANNEL                BYTES PEER           LAT",
        "00:00:01.995 cat[13]    read     pipe:[4242]              300 ← head[12]   900µs",
        "00:00:01.995 head[12]   write    pipe:[4242]              300 → cat[13]",
        "00:00:01.992 cat[13]    read     pipe:[4242]              200 ← head[12]    40µs",
        "00:00:01.992 head[12]   write    pipe:[4242]              200 → cat[13]",
        "00:00:00.991 cat[13]    read     pipe:[4242]              100 ← head[12]     3µs",
        "00:00:00.991 head[12]   write    pipe:[4242]              100 → cat[13]",
        "",
        "TRACES 0af7651916cd43dd8448eb211c80319c  4bf92f3577b34da6a3ce929d0e0e4736",
        "100 ev/s  lost 3  spans off                                         sort bytes/s",
        "Esc back  q quit  p pause  ? help");
    TopKeys.apply(model, new KeyStroke(KeyType.Escape), 19);
    assertThat(model.detailOpen()).isFalse();
    assertThat(TopKeys.apply(model, new KeyStroke(KeyType.Escape), 19)).isTrue(); // a second Esc quits
  }

  @Test
  void aProcessDetailCountsWhatItConsumed() {
    pipeTraffic();
    model.showView(TopModel.View.PROCESSES);
    model.scrollBy(1, 20); // head, then cat
    assertThat(((ProcessRow) model.rows().get(model.selected())).key()).isEqualTo(CAT);
    model.openDetail();
    Detail d = model.detail().orElseThrow();
    assertThat(d.title()).isEqualTo("cat[13]");
    // its parent, pid 1, is not talking: named by pid alone
    assertThat(d.facts()).containsExactly("exe /usr/bin/cat", "parent 1", "edges 1 in, 0 out");
    assertThat(d.latency().total()).isEqualTo(3);
    assertThat(d.recent()).extracting(EventRow::actor).containsExactly("cat[13]", "cat[13]", "cat[13]");
    model.closeDetail();
    model.scrollBy(-1, 20);
    model.openDetail();
    // head did the writes, and cat's reads took from it
    assertThat(model.detail().orElseThrow().recent()).extracting(EventRow::actor).containsExactly("cat[13]",
        "head[12]", "cat[13]", "head[12]", "cat[13]", "head[12]");
    assertThat(model.detail().orElseThrow().latency().total()).isZero(); // head consumed nothing
  }

  @Test
  void theHistogramShowsItsBusiestBucketsAndFoldsTheTails() {
    LatencyHistogram h = new LatencyHistogram();
    h.add(500); // one outlier under 1 µs
    for (int i = 0; i < 40; i++) {
      h.add(5_000); // 4-8 µs
    }
    for (int i = 0; i < 20; i++) {
      h.add(20_000); // 16-32 µs
    }
    h.add(3_000_000); // one at 3 ms
    assertThat(DetailView.bars(h, 40, 3)).containsExactly(
        "          <8µs ███████████████       41",
        "      8µs-16µs                        0",
        "         ≥16µs ████████              21");
  }

  @Test
  void aQuietEdgeKeepsItsLastOperationsOnABusyHost() {
    pipeTraffic();
    List<RecentEvent> busy = new java.util.ArrayList<>();
    for (int i = 0; i < EventLog.CAPACITY + 500; i++) {
      busy.add(new RecentEvent(7 + i, 2 * SECOND, Frames.MQSEND, "mqsend", 20,
          io.ipcscope.probes.event.Mechanism.SYSV_MQ, io.ipcscope.probes.event.Operation.SEND,
          io.ipcscope.collector.flow.Role.PRODUCER, QUEUE.channel(), 8, null, 21, "mqrecv", -1, 0, 8, ""));
    }
    model.update(frame(3 * SECOND, 300, busy, edge(PIPE, 3, 600, 2 * SECOND), edge(QUEUE, 2600, 100, 3 * SECOND)));
    model.setSort(SortKey.TOTAL_BYTES); // the pipe first
    model.openDetail();
    assertThat(model.detail().orElseThrow().title()).isEqualTo("head[12] → cat[13]  pipe  pipe:[4242]");
    assertThat(model.detail().orElseThrow().recent()).extracting(r -> r.event().seq()).containsExactly(6L, 5L, 4L,
        3L, 2L, 1L);
  }

  @Test
  void mNarrowsEveryViewToOneFamilyAtATime() {
    pipeTraffic();
    assertThat(model.talkRows()).hasSize(2);
    TopKeys.apply(model, new KeyStroke('m', false, false), 20);
    assertThat(model.family()).isEqualTo(MechanismFamily.PIPES);
    assertThat(model.talkRows()).extracting(TalkRow::key).containsExactly(PIPE);
    TopKeys.apply(model, new KeyStroke('m', false, false), 20);
    assertThat(model.talkRows()).extracting(TalkRow::key).containsExactly(QUEUE);
    model.showView(TopModel.View.PROCESSES);
    assertThat(model.processRows()).extracting(ProcessRow::comm).containsExactly("mqsend", "mqrecv");
    model.showView(TopModel.View.EVENTS);
    assertThat(model.eventRows()).isEmpty();
    for (int i = 0; i < MechanismFamily.values().length - 2; i++) {
      model.nextFamily();
    }
    assertThat(model.family()).isEqualTo(MechanismFamily.ALL);
  }

  @Test
  void processesAreATreeByParent() {
    List<io.ipcscope.collector.talk.ProcessNode> nodes = List.of(
        new io.ipcscope.collector.talk.ProcessNode(HEAD, "head", "/usr/bin/head", 1),
        new io.ipcscope.collector.talk.ProcessNode(CAT, "cat", "/usr/bin/cat", 12)); // cat is head's child
    model.update(new TopFrame(new io.ipcscope.collector.talk.TalkGraph.Snapshot(nodes, List.of(edge(PIPE, 1, 10,
        SECOND))), io.ipcscope.collector.otel.CollectorHealth.EMPTY, SECOND, 0));
    model.showView(TopModel.View.PROCESSES);
    assertThat(model.processRows()).extracting(ProcessRow::comm, ProcessRow::depth).containsExactly(
        org.assertj.core.groups.Tuple.tuple("head", 0), org.assertj.core.groups.Tuple.tuple("cat", 1));
  }

  @Test
  void operationsTheSourceCouldNotHandOnAreCountedButNotWhilePaused() {
    model.update(frame(SECOND, 1, List.of(write(1, SECOND, 1), write(2, SECOND, 1))));
    model.update(frame(2 * SECOND, 1, List.of(write(10, 2 * SECOND, 1))));
    assertThat(model.eventsMissed()).isEqualTo(7);
    model.togglePause();
    model.update(frame(3 * SECOND, 1, List.of(write(11, 3 * SECOND, 1))));
    model.togglePause();
    model.update(frame(4 * SECOND, 1, List.of(write(20, 4 * SECOND, 1))));
    assertThat(model.eventsMissed()).isEqualTo(7);
    assertThat(model.eventsSeen()).isEqualTo(4);
  }

  @Test
  void aFrameReplacedBeforeItWasTakenHandsOnItsOperations() {
    NewestFrame hand = new NewestFrame();
    hand.publish(frame(SECOND, 1, List.of(write(1, SECOND, 1))));
    hand.publish(frame(2 * SECOND, 1, List.of(write(2, 2 * SECOND, 1))));
    assertThat(hand.take().orElseThrow().recent()).extracting(RecentEvent::seq).containsExactly(1L, 2L);
    hand.publish(frame(3 * SECOND, 1, List.of(write(3, 3 * SECOND, 1))));
    assertThat(hand.take().orElseThrow().recent()).extracting(RecentEvent::seq).containsExactly(3L);
    assertThat(hand.take()).isEmpty();
  }
}
