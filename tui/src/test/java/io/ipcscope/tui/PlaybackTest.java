package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.PIPE;
import static io.ipcscope.tui.Frames.QUEUE;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.edge;
import static io.ipcscope.tui.Frames.frame;
import static io.ipcscope.tui.Frames.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.collector.talk.SignalFlow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A replay's controls: its keys, its place in the header, and the model's rates across a seek. */
class PlaybackTest {

  private final TopModel model = new TopModel();

  /** Writes down what the keys asked for. */
  static final class FakePlayback implements Playback {
    final List<String> calls = new ArrayList<>();
    int statusAsked;
    Status status = new Status(12_300_000_000L, 65 * SECOND, 2, false, -1, false);

    @Override
    public void togglePause() {
      calls.add("pause");
    }

    @Override
    public void seekBy(long nanos) {
      calls.add("seek " + nanos / SECOND);
    }

    @Override
    public void changeSpeed(double factor) {
      calls.add("speed " + factor);
    }

    @Override
    public Status status() {
      statusAsked++;
      return status;
    }
  }

  private static KeyStroke key(char c) {
    return new KeyStroke(c, false, false);
  }

  /** A frame of the given timeline, with the baseline a replay sends after a seek. */
  private static TopFrame seeked(long timeline, TopFrame baseline, long atNanos, long events,
      List<RecentEvent> recent, Edge... edges) {
    TopFrame f = frame(atNanos, events, edges);
    return new TopFrame(f.graph(), f.health(), atNanos, 0, recent, timeline, baseline);
  }

  private static TopFrame seeked(long timeline, TopFrame baseline, long atNanos, long events, Edge... edges) {
    return seeked(timeline, baseline, atNanos, events, List.of(), edges);
  }

  @Test
  void aReplaysKeysGoToItsPlaybackAndPauseNoLongerFreezesTheModel() {
    FakePlayback playback = new FakePlayback();
    for (char c : "]}[{+=-p ".toCharArray()) {
      assertThat(TopKeys.apply(model, key(c), 20, Optional.of(playback))).isFalse();
    }
    assertThat(playback.calls).containsExactly("seek 10", "seek 60", "seek -10", "seek -60", "speed 2.0",
        "speed 2.0", "speed 0.5", "pause", "pause");
    assertThat(model.paused()).as("the replay's clock stops, so the model keeps taking what it publishes").isFalse();
    assertThat(TopKeys.apply(model, key('q'), 20, Optional.of(playback))).isTrue();
  }

  @Test
  void aLiveSourceKeepsPauseAsAScreenFreezeAndIgnoresSeekKeys() {
    assertThat(TopKeys.apply(model, key(']'), 20, Optional.empty())).isFalse();
    assertThat(TopKeys.apply(model, key('p'), 20, Optional.empty())).isFalse();
    assertThat(model.paused()).isTrue();
  }

  @Test
  void whileAFilterIsTypedBracketsAndPlusAreText() {
    FakePlayback playback = new FakePlayback();
    TopKeys.apply(model, key('/'), 20, Optional.of(playback));
    for (char c : "a[1]+p".toCharArray()) {
      TopKeys.apply(model, key(c), 20, Optional.of(playback));
    }
    TopKeys.apply(model, new KeyStroke(KeyType.Enter), 20, Optional.of(playback));
    assertThat(model.filter()).isEqualTo("a[1]+p");
    assertThat(playback.calls).isEmpty();
  }

  @Test
  void theLabelSaysWhereHowFastAndWhetherPausedSeekingOrEnded() {
    assertThat(new Playback.Status(12_340_000_000L, 65 * SECOND, 2, true, -1, false).label())
        .isEqualTo("00:12.3 / 01:05.0 x2 PAUSED");
    assertThat(new Playback.Status(3_100_000_000L, 65 * SECOND, 0.5, false, 20 * SECOND, false).label())
        .isEqualTo("00:03.1 >> 00:20.0 / 01:05.0 x0.5");
    assertThat(new Playback.Status(65 * SECOND, 65 * SECOND, 1, true, -1, true).label())
        .isEqualTo("01:05.0 / 01:05.0 x1 ended");
    assertThat(new Playback.Status(3723 * SECOND, -1, 1, false, -1, false).label())
        .as("an hour on, and the length not known yet").isEqualTo("1:02:03.0 x1");
  }

  @Test
  void theHeaderShowsTheReplaysPlaceAtItsRightEnd() throws Exception {
    model.update(frame(SECOND, 100, edge(PIPE, 0, 0, 0)));
    model.update(frame(2 * SECOND, 1300, edge(PIPE, 10, 1000, 2 * SECOND)));
    FakePlayback playback = new FakePlayback();
    model.setPlayback(playback.status());
    assertThat(TopRendererTest.screenText(model, 120, 12).get(0)).isEqualTo("ipcscope top  Talk Channels Processes"
        + " Signals Map Events  replay ipc.json                           00:12.3 / 01:05.0 x2");
    model.setPlayback(new Playback.Status(12_300_000_000L, 65 * SECOND, 2, true, -1, false));
    assertThat(TopRendererTest.screenText(model, 80, 12).get(0))
        .isEqualTo("ipcscope top  Talk 1/6  replay ipc.json              00:12.3 / 01:05.0 x2 PAUSED");
    assertThat(TopRendererTest.screenText(model, 60, 12).get(0))
        .isEqualTo("ipcscope top  Talk 1/6  replay…  00:12.3 / 01:05.0 x2 PAUSED");
  }

  @Test
  void theLoopRoutesAReplaysKeysToItAndShowsWhereItIs() throws Exception {
    FakePlayback playback = new FakePlayback();
    DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(120, 24));
    TopSource source = new TopSource() {
      int polls;

      @Override
      public Optional<TopFrame> poll() {
        if (++polls == 2) { // after the first redraw
          terminal.addInput(key('['));
          terminal.addInput(key(' '));
          terminal.addInput(key('q'));
        }
        return Optional.of(frame(polls * SECOND, 0, edge(PIPE, polls, 100L * polls, SECOND)));
      }

      @Override
      public String describe() {
        return "replay rec.bin";
      }

      @Override
      public Optional<Playback> playback() {
        return Optional.of(playback);
      }
    };
    assertThat(TopApp.run(terminal, source, 10)).isZero();
    assertThat(playback.calls).containsExactly("seek -10", "pause");
    assertThat(playback.statusAsked).as("the header asked where the replay is").isPositive();
  }

  @Test
  void aSeeksFirstFrameReplacedBeforeTheDashboardTookItBecomesTheBaselineOfTheNext() {
    NewestFrame latest = new NewestFrame();
    latest.publish(frame(11 * SECOND, 2000, List.of(write(800, 11 * SECOND, 64)), edge(PIPE, 200, 20_000, 0)));
    TopFrame before = seeked(1, null, 3 * SECOND, 300, edge(PIPE, 30, 3_000, 0));
    // Another timeline: the replaced frame's operations are of a later stretch of time and do not go on.
    latest.publish(seeked(1, before, 4 * SECOND, 400, List.of(write(30, 4 * SECOND, 64)), edge(PIPE, 40, 4_000, 0)));
    latest.publish(seeked(1, null, 5 * SECOND, 500, List.of(write(31, 5 * SECOND, 64)), edge(PIPE, 50, 5_000, 0)));
    TopFrame taken = latest.take().orElseThrow();
    assertThat(taken.atNanos()).isEqualTo(5 * SECOND);
    assertThat(taken.recent()).extracting(RecentEvent::seq).containsExactly(30L, 31L);
    assertThat(taken.baseline().atNanos()).isEqualTo(4 * SECOND);
    assertThat(taken.baseline().recent()).isEmpty();

    model.update(frame(11 * SECOND, 2000, edge(PIPE, 200, 20_000, 11 * SECOND)));
    model.update(taken);
    assertThat(model.talkRows().get(0).bytesPerSec()).isEqualTo(1_000.0);
  }

  @Test
  void aSignalFlowSeenOnlyLaterInTheRecordingIsNotFreshAfterASeekBack() {
    model.update(Frames.signalFrame(11 * SECOND, 0));
    model.update(Frames.signalFrame(12 * SECOND, 0, flow(100, 12 * SECOND)));
    assertThat(model.signalRows().get(0).fresh()).isTrue();

    TopFrame baseline = onTimeline(1, null, Frames.signalFrame(3 * SECOND + SECOND / 2, 0, flow(30, 3 * SECOND)));
    model.update(onTimeline(1, baseline, Frames.signalFrame(4 * SECOND, 0, flow(40, 4 * SECOND))));
    SignalRow row = model.signalRows().get(0);
    assertThat(row.sentPerSec()).isEqualTo(20.0);
    assertThat(row.fresh()).as("its first sighting was at 12 s, after where the replay is now").isFalse();
  }

  /** supervisor sends nginx {@code sent} SIGTERMs in all, the last at {@code lastNanos}. */
  private static SignalFlow flow(long sent, long lastNanos) {
    return Frames.flow(Frames.SUPERVISOR, Frames.NGINX, 15, sent, sent, 0, lastNanos);
  }

  private static TopFrame onTimeline(long timeline, TopFrame baseline, TopFrame f) {
    return new TopFrame(f.graph(), f.health(), f.atNanos(), f.epochOffsetNanos(), f.recent(), timeline, baseline);
  }

  @Test
  void aNewTimelineRestartsRatesAndHistoryFromItsBaselineInsteadOfGoingNegativeOrStale() {
    model.update(frame(10 * SECOND, 1000, List.of(write(700, 10 * SECOND, 64)), edge(PIPE, 100, 10_000, 10 * SECOND)));
    model.update(frame(11 * SECOND, 2000, List.of(write(701, 11 * SECOND, 64)), edge(PIPE, 200, 20_000, 11 * SECOND)));
    assertThat(model.talkRows().get(0).bytesPerSec()).isEqualTo(10_000.0);

    // Back to 4 s: earlier clock, smaller counters, operations numbered from the start again. Rates are against the
    // baseline half a second before; the operations are those up to 4 s, none from later and none "skipped".
    TopFrame baseline = seeked(1, null, 3 * SECOND + SECOND / 2, 300, List.of(write(29, 3 * SECOND, 64)),
        edge(PIPE, 30, 3_000, 3 * SECOND));
    model.update(seeked(1, baseline, 4 * SECOND, 400, List.of(write(30, 4 * SECOND, 64)),
        edge(PIPE, 40, 4_000, 4 * SECOND), edge(QUEUE, 5, 500, 4 * SECOND)));
    assertThat(model.eventRows()).extracting(r -> r.event().seq()).containsExactly(30L, 29L);
    assertThat(model.eventsMissed()).isZero();
    assertThat(model.frame()).map(TopFrame::atNanos).contains(4 * SECOND);
    TalkRow pipe = model.talkRows().stream().filter(r -> r.key().equals(PIPE)).findFirst().orElseThrow();
    assertThat(pipe.bytesPerSec()).isEqualTo(2_000.0);
    assertThat(pipe.bytes()).isEqualTo(4_000);
    assertThat(pipe.history()).as("the sparkline starts over with the new timeline").containsExactly(0.0, 2_000.0);
    assertThat(model.eventsPerSec()).isEqualTo(200.0);

    // Without a baseline (a seek whose frame the dashboard missed) the rates are unknown for one frame, not wild.
    model.update(seeked(2, null, 60 * SECOND, 9_000, edge(PIPE, 900, 90_000, 60 * SECOND)));
    assertThat(model.talkRows().get(0).bytesPerSec()).isZero();
    assertThat(model.eventsPerSec()).isZero();
    model.update(seeked(2, null, 61 * SECOND, 9_100, edge(PIPE, 910, 91_000, 61 * SECOND)));
    assertThat(model.talkRows().get(0).bytesPerSec()).isEqualTo(1_000.0);
  }
}
