package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.CAT;
import static io.ipcscope.tui.Frames.HEAD;
import static io.ipcscope.tui.Frames.MQRECV;
import static io.ipcscope.tui.Frames.MQSEND;
import static io.ipcscope.tui.Frames.PIPE;
import static io.ipcscope.tui.Frames.QUEUE;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.edge;
import static io.ipcscope.tui.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.input.KeyStroke;
import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.TalkGraph;
import com.googlecode.lanterna.input.KeyType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopModelTest {

  private final TopModel model = new TopModel();

  /** Pipe 10 → 20 messages, 1000 → 3000 bytes; queue 5 → 6 messages, 500 → 600 bytes; over half a second. */
  private void twoFrames() {
    model.update(frame(SECOND, 100, edge(PIPE, 10, 1000, SECOND), edge(QUEUE, 5, 500, SECOND)));
    model.update(frame(SECOND + SECOND / 2, 600, edge(PIPE, 20, 3000, SECOND + SECOND / 2),
        edge(QUEUE, 6, 600, SECOND)));
  }

  @Test
  void ratesAreTheChangeBetweenTheLastTwoFramesOverTheirInterval() {
    twoFrames();
    TalkRow pipe = model.talkRows().get(0);
    assertThat(pipe.key()).isEqualTo(PIPE);
    assertThat(pipe.messagesPerSec()).isEqualTo(20.0);
    assertThat(pipe.bytesPerSec()).isEqualTo(4000.0);
    assertThat(pipe.bytes()).isEqualTo(3000);
    assertThat(model.talkRows().get(1).bytesPerSec()).isEqualTo(200.0);
    assertThat(model.eventsPerSec()).isEqualTo(1000.0);
    assertThat(model.lost()).isEqualTo(3);
  }

  @Test
  void theFirstFrameHasNoRatesAndAnEdgeNewSinceTheLastFrameCountsFromZero() {
    model.update(frame(SECOND, 0, edge(PIPE, 10, 1000, SECOND)));
    assertThat(model.talkRows().get(0).bytesPerSec()).isZero();
    assertThat(model.eventsPerSec()).isZero();
    model.update(frame(2 * SECOND, 0, edge(PIPE, 10, 1000, SECOND), edge(QUEUE, 4, 400, 2 * SECOND)));
    TalkRow queue = model.talkRows().get(0);
    assertThat(queue.key()).isEqualTo(QUEUE);
    assertThat(queue.bytesPerSec()).isEqualTo(400.0);
    assertThat(queue.messagesPerSec()).isEqualTo(4.0);
  }

  @Test
  void aCounterThatWentBackwardsOrAStaleFrameGivesNoNegativeRate() {
    model.update(frame(SECOND, 0, edge(PIPE, 10, 1000, SECOND)));
    model.update(frame(2 * SECOND, 0, edge(PIPE, 2, 100, 2 * SECOND)));
    assertThat(model.talkRows().get(0).bytesPerSec()).isZero();
    model.update(frame(SECOND, 0, edge(PIPE, 50, 9000, 2 * SECOND)));
    assertThat(model.talkRows().get(0).bytes()).isEqualTo(100);
  }

  @Test
  void historyKeepsOneSamplePerFrameUpToSixty() {
    for (int i = 0; i <= 70; i++) {
      model.update(frame((i + 1) * SECOND, 0, edge(PIPE, i, 100L * i, (i + 1) * SECOND)));
    }
    List<Double> history = model.talkRows().get(0).history();
    assertThat(history).hasSize(TopModel.HISTORY).containsOnly(100.0);
  }

  @Test
  void edgesArrivingAfterTheStartAreFreshForThreeSecondsAndIdleOnesFadeAfterTen() {
    model.update(frame(SECOND, 0, edge(PIPE, 1, 10, SECOND)));
    model.update(frame(2 * SECOND, 0, edge(PIPE, 1, 10, SECOND), edge(QUEUE, 1, 10, 2 * SECOND)));
    assertThat(row(QUEUE).fresh()).isTrue();
    assertThat(row(PIPE).fresh()).as("there when the dashboard started").isFalse();
    model.update(frame(5 * SECOND, 0, edge(PIPE, 1, 10, SECOND), edge(QUEUE, 1, 10, 2 * SECOND)));
    assertThat(row(QUEUE).fresh()).isFalse();
    assertThat(row(PIPE).faded()).isFalse();
    model.update(frame(11 * SECOND, 0, edge(PIPE, 1, 10, SECOND), edge(QUEUE, 1, 10, 2 * SECOND)));
    assertThat(row(PIPE).faded()).isTrue();
    assertThat(row(PIPE).lastAgoNanos()).isEqualTo(10 * SECOND);
    assertThat(row(QUEUE).faded()).isFalse();
  }

  @Test
  void sortCyclesThroughItsKeysAndOrdersDescending() {
    model.update(frame(SECOND, 0, edge(PIPE, 10, 1000, SECOND), edge(QUEUE, 5, 5000, SECOND)));
    model.update(frame(2 * SECOND, 0, edge(PIPE, 110, 2000, 2 * SECOND), edge(QUEUE, 6, 7000, SECOND)));
    assertThat(model.sort()).isEqualTo(SortKey.BYTES_RATE);
    assertThat(keys()).containsExactly(QUEUE, PIPE); // 2000 B/s against 1000 B/s
    model.cycleSort();
    assertThat(model.sort()).isEqualTo(SortKey.MESSAGE_RATE);
    assertThat(keys()).containsExactly(PIPE, QUEUE); // 100 msg/s against 1
    model.cycleSort();
    assertThat(keys()).containsExactly(QUEUE, PIPE); // 7000 B in all against 2000
    model.cycleSort();
    assertThat(model.sort()).isEqualTo(SortKey.LATENCY);
    model.cycleSort();
    assertThat(model.sort()).isEqualTo(SortKey.LAST_SEEN);
    assertThat(keys()).containsExactly(PIPE, QUEUE); // the pipe was active now, the queue a second ago
    model.cycleSort();
    assertThat(model.sort()).isEqualTo(SortKey.BYTES_RATE);
  }

  @Test
  void filterMatchesCommPidMechanismOrChannel() {
    twoFrames();
    model.setFilter("CAT");
    assertThat(keys()).containsExactly(PIPE);
    model.setFilter("21");
    assertThat(keys()).containsExactly(QUEUE);
    model.setFilter("sysv_mq");
    assertThat(keys()).containsExactly(QUEUE);
    model.setFilter("pipe:[4242");
    assertThat(keys()).containsExactly(PIPE);
    model.setFilter("nothing");
    assertThat(model.rows()).isEmpty();
    model.setFilter("");
    assertThat(model.rows()).hasSize(2);
  }

  @Test
  void framesAreIgnoredWhilePaused() {
    twoFrames();
    model.togglePause();
    model.update(frame(5 * SECOND, 9999, edge(PIPE, 99, 99_000, 5 * SECOND)));
    assertThat(model.paused()).isTrue();
    assertThat(model.talkRows().get(0).bytesPerSec()).isEqualTo(4000.0);
    model.togglePause();
    model.update(frame(2 * SECOND, 600, edge(PIPE, 20, 4000, 2 * SECOND), edge(QUEUE, 6, 600, SECOND)));
    assertThat(model.talkRows().get(0).bytesPerSec()).isEqualTo(2000.0);
  }

  @Test
  void viewsCycleAndEachListsItsOwnRows() {
    twoFrames();
    assertThat(model.view()).isEqualTo(TopModel.View.TALK);
    assertThat(model.rows()).hasOnlyElementsOfType(TalkRow.class);
    model.nextView();
    assertThat(model.view()).isEqualTo(TopModel.View.CHANNELS);
    assertThat(model.rows()).containsExactly(
        new ChannelRow(PIPE.channel(), "pipe:[4242]", PIPE.mechanism(), "writer head[12], reader cat[13]", 4000,
            3000, 20, 1500),
        new ChannelRow(QUEUE.channel(), "sysv_mq:[3]", QUEUE.mechanism(), "sender mqsend[20], receiver mqrecv[21]",
            200, 600, 6, 300));
    model.nextView();
    assertThat(model.view()).isEqualTo(TopModel.View.PROCESSES);
    assertThat(model.rows()).containsExactly(new ProcessRow(HEAD, "head", 1, 0, false, 0, 4000, 20, "pipe 0/4.0k"),
        new ProcessRow(CAT, "cat", 1, 0, false, 4000, 0, 20, "pipe 4.0k/0"),
        new ProcessRow(MQSEND, "mqsend", 5, 0, false, 0, 200, 2, "sysv_mq 0/200"),
        new ProcessRow(MQRECV, "mqrecv", 5, 0, false, 200, 0, 2, "sysv_mq 200/0"));
    model.nextView();
    assertThat(model.view()).isEqualTo(TopModel.View.SIGNALS);
    model.nextView();
    assertThat(model.view()).isEqualTo(TopModel.View.MAP);
    model.nextView();
    assertThat(model.view()).isEqualTo(TopModel.View.EVENTS);
    model.nextView();
    assertThat(model.view()).isEqualTo(TopModel.View.TALK);
    TopKeys.apply(model, new KeyStroke('3', false, false), 20);
    assertThat(model.view()).isEqualTo(TopModel.View.PROCESSES);
  }

  @Test
  void keysDriveTheModelAndTypedFilterTextIsNotACommand() {
    twoFrames();
    assertThat(TopKeys.apply(model, new KeyStroke(KeyType.Tab), 20)).isFalse();
    assertThat(model.view()).isEqualTo(TopModel.View.CHANNELS);
    TopKeys.apply(model, new KeyStroke('s', false, false), 20);
    assertThat(model.sort()).isEqualTo(SortKey.MESSAGE_RATE);
    TopKeys.apply(model, new KeyStroke('/', false, false), 20);
    for (char c : "q cat".toCharArray()) {
      assertThat(TopKeys.apply(model, new KeyStroke(c, false, false), 20)).isFalse();
    }
    TopKeys.apply(model, new KeyStroke(KeyType.Backspace), 20);
    assertThat(model.filterDraft()).contains("q ca");
    assertThat(model.filter()).isEmpty();
    TopKeys.apply(model, new KeyStroke(KeyType.Escape), 20);
    assertThat(model.filterDraft()).isEmpty();
    TopKeys.apply(model, new KeyStroke('/', false, false), 20);
    TopKeys.apply(model, new KeyStroke('c', false, false), 20);
    TopKeys.apply(model, new KeyStroke(KeyType.Enter), 20);
    assertThat(model.filter()).isEqualTo("c");
    TopKeys.apply(model, new KeyStroke('/', false, false), 20);
    assertThat(model.filterDraft()).contains("c"); // editing starts from the filter in force
    TopKeys.apply(model, new KeyStroke('u', true, false), 20);
    assertThat(model.filterDraft()).contains(""); // Ctrl-U empties it
    TopKeys.apply(model, new KeyStroke(KeyType.Enter), 20);
    assertThat(model.filter()).isEmpty();
    TopKeys.apply(model, new KeyStroke('/', false, false), 20);
    TopKeys.apply(model, new KeyStroke('c', false, false), 20);
    TopKeys.apply(model, new KeyStroke(KeyType.Enter), 20);
    TopKeys.apply(model, new KeyStroke('p', false, false), 20);
    assertThat(model.paused()).isTrue();
    TopKeys.apply(model, new KeyStroke('?', false, false), 20);
    assertThat(model.help()).isTrue();
    assertThat(TopKeys.apply(model, new KeyStroke(KeyType.Escape), 20)).as("Esc closes help first").isFalse();
    assertThat(model.help()).isFalse();
    assertThat(TopKeys.apply(model, new KeyStroke('Q', false, false), 20)).isTrue();
    assertThat(TopKeys.apply(model, new KeyStroke(KeyType.Escape), 20)).isTrue();
  }

  private TalkRow row(io.ipcscope.collector.talk.EdgeKey key) {
    return model.talkRows().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
  }

  private List<io.ipcscope.collector.talk.EdgeKey> keys() {
    return model.talkRows().stream().map(TalkRow::key).toList();
  }

  @Test
  void theSelectionMovesTheTableFollowsAndANewViewStartsAtTheTop() {
    TopModel model = new TopModel();
    List<Edge> edges = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      edges.add(scrollEdge(i, 10));
    }
    model.update(new TopFrame(new TalkGraph.Snapshot(List.of(), edges), CollectorHealth.EMPTY, 1_000_000_000L, 0));
    TopKeys.apply(model, new KeyStroke(KeyType.PageDown), 20);
    assertThat(model.selected()).isEqualTo(20);
    assertThat(model.firstShown(20)).isEqualTo(1); // the selected row is the page's last
    TopKeys.apply(model, new KeyStroke(KeyType.PageDown), 20);
    assertThat(model.selected()).isEqualTo(29);
    assertThat(model.firstShown(20)).isEqualTo(10); // 30 rows, 20 on screen: the last page starts at row 10
    TopKeys.apply(model, new KeyStroke('k', false, false), 20);
    assertThat(model.selected()).isEqualTo(28);
    assertThat(model.firstShown(20)).isEqualTo(10);
    TopKeys.apply(model, new KeyStroke('g', false, false), 20);
    assertThat(model.selected()).isZero();
    assertThat(model.firstShown(20)).isZero();
    TopKeys.apply(model, new KeyStroke('G', false, false), 20);
    assertThat(model.selected()).isEqualTo(29);
    model.nextView();
    assertThat(model.selected()).isZero();
    assertThat(model.scroll()).isZero();
  }

  @Test
  void theCursorKeepsItsPlaceUnlessToldToFollowItsRow() {
    TopModel model = new TopModel();
    List<Edge> edges = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      edges.add(scrollEdge(i, 10 * (5 - i))); // by bytes: 0, 1, 2, 3, 4
    }
    model.update(new TopFrame(new TalkGraph.Snapshot(List.of(), edges), CollectorHealth.EMPTY, 1_000_000_000L, 0));
    model.scrollBy(3, 20);
    assertThat(((TalkRow) model.rows().get(model.selected())).key()).isEqualTo(scrollEdge(3, 0).key());
    edges.set(3, scrollEdge(3, 1_000)); // edge 3 becomes the busiest
    model.update(new TopFrame(new TalkGraph.Snapshot(List.of(), edges), CollectorHealth.EMPTY, 2_000_000_000L, 0));
    // by default the cursor keeps its place, as in htop: edge 2 moved up under it
    assertThat(model.selected()).isEqualTo(3);
    assertThat(((TalkRow) model.rows().get(3)).key()).isEqualTo(scrollEdge(2, 0).key());
    TopKeys.apply(model, new KeyStroke('f', false, false), 20); // f: follow edge 2 from now on
    edges.set(2, scrollEdge(2, 2_000));
    model.update(new TopFrame(new TalkGraph.Snapshot(List.of(), edges), CollectorHealth.EMPTY, 3_000_000_000L, 0));
    assertThat(model.selected()).isZero();
    assertThat(((TalkRow) model.rows().get(0)).key()).isEqualTo(scrollEdge(2, 0).key());
  }

  private static Edge scrollEdge(int i, long bytes) {
    return new Edge(new io.ipcscope.collector.talk.EdgeKey(new io.ipcscope.collector.model.ProcessKey(100 + i, 1),
        new io.ipcscope.collector.model.ProcessKey(200 + i, 1), io.ipcscope.probes.event.Mechanism.PIPE,
        io.ipcscope.collector.model.ChannelKey.pipe(i)), "", true, 1, bytes, 0, 1, 1, 0, 0, 0, 0);
  }
}
