package io.ipcscope.cli.top;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.Collector;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.record.RecordingHeader;
import io.ipcscope.collector.record.RecordingReader;
import io.ipcscope.collector.record.Replay;
import io.ipcscope.collector.record.ReplayListener;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.tui.Playback;
import io.ipcscope.tui.TopFrame;
import io.opentelemetry.sdk.resources.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's replay of a real recording (collector's fixture of {@code demo pipe --messages 5}: head 18211 pipes
 * 320 bytes to cat 18213 at 2.97 s from the start, the demo's parent 18190 and child 18208 exchange five 64-byte
 * messages each way at 3.22 s; ticks come every 50 ms or so from 2.29 s to 3.42 s). After a seek, forward or back, the frame is the one a
 * straight replay has at that tick, and a pause holds the recorded clock.
 */
@Timeout(60)
class ReplayTopSourceTest {

  static final Path RECORDING = Path.of("../collector/src/test/resources/recordings/demo-pipe.bin");
  private static final long MS = 1_000_000L;
  /** Recorded time of the fixture's last tick, from its header's start. */
  private static final long LENGTH = 3_419_913_847L;
  private static long start;

  @BeforeAll
  static void header() throws Exception {
    start = RecordingReader.readHeader(RECORDING).startMonotonicNanos();
  }

  /** The graph and operations a straight replay has at its first tick at or after {@code t}, and that tick. */
  private record Straight(long atNanos, TalkGraph.Snapshot graph, List<RecentEvent> operations) {}

  private static Straight straight(long t) throws Exception {
    Collector[] collector = new Collector[1];
    Straight[] found = new Straight[1];
    Replay.run(RECORDING, -1, r -> collector[0].accept(r), new ReplayListener() {
      @Override
      public void started(RecordingHeader header, ModelDriver driver) {
        collector[0] = new Collector(driver.processes(), Resource.empty(), header.epochNanosAtMonotonicZero(),
            SpanFactory.Options.defaults(0), Collector.DEFAULT_CAUSAL_HOLD_NANOS, null);
      }

      @Override
      public void tick(long nanos) {
        collector[0].tick(nanos);
        if (found[0] == null && nanos - start >= t) {
          found[0] = new Straight(nanos - start, collector[0].graph().snapshot(), collector[0].tail().after(0));
        }
      }
    });
    return found[0];
  }

  /** "from>to bytesB/messages" of the demo's pipe edges, as GraphCommandTest names them. */
  private static List<String> pipes(TalkGraph.Snapshot graph) {
    return graph.edges().stream()
        .filter(e -> e.mechanism() == Mechanism.PIPE && Set.of(18190, 18208, 18211).contains(e.key().from().pid()))
        .map(ReplayTopSourceTest::name).sorted().toList();
  }

  private static String name(Edge e) {
    return e.key().from().pid() + ">" + e.key().to().pid() + " " + e.bytes() + "B/" + e.messages();
  }

  private static Playback.Status await(ReplayTopSource source, Predicate<Playback.Status> done) throws Exception {
    long deadline = System.nanoTime() + 20_000 * MS;
    while (System.nanoTime() < deadline) {
      Playback.Status s = source.status();
      if (done.test(s)) {
        return s;
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the replay never got there: " + source.status());
  }

  /** Frames are taken as the dashboard does; returns the first one that matches. */
  private static TopFrame awaitFrame(ReplayTopSource source, Predicate<TopFrame> done) throws Exception {
    long deadline = System.nanoTime() + 20_000 * MS;
    while (System.nanoTime() < deadline) {
      var frame = source.poll();
      if (frame.isPresent() && done.test(frame.get())) {
        return frame.get();
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no such frame came: " + source.status());
  }

  /** Played through at top speed: its last frame is the recording's whole graph, as graph --replay draws it. */
  private static ReplayTopSource playedToTheEnd() throws Exception {
    ReplayTopSource source = new ReplayTopSource(RECORDING, ReplayTopSource.MAX_SPEED, 100);
    await(source, Playback.Status::ended);
    return source;
  }

  @Test
  void playedToTheEndTheLastFrameIsTheWholeRecordingsGraph() throws Exception {
    try (ReplayTopSource source = playedToTheEnd()) {
      Playback.Status end = source.status();
      assertThat(end.positionNanos()).isEqualTo(LENGTH);
      assertThat(end.lengthNanos()).isEqualTo(LENGTH);
      assertThat(end.label()).isEqualTo("00:03.4 / 00:03.4 x1024 ended");
      TopFrame last = awaitFrame(source, f -> true);
      assertThat(pipes(last.graph())).containsExactly("18190>18003 142B/2", "18190>18208 320B/5",
          "18208>18190 320B/5", "18211>18213 320B/1");
      assertThat(source.describe()).isEqualTo("replay of demo-pipe.bin (" + RecordingReader.readHeader(RECORDING)
          .hostName() + ")");
    }
  }

  @Test
  void seekingBackAndForthShowsWhatAStraightReplayHasAtThatTick() throws Exception {
    try (ReplayTopSource source = playedToTheEnd()) {
      source.togglePause(); // each seek's frame stays to be looked at
      source.seekBy(3_200 * MS - LENGTH);
      TopFrame back = awaitFrame(source, f -> f.timeline() == 1);
      Straight at32 = straight(3_200 * MS);
      assertThat(back.atNanos() - start).isEqualTo(at32.atNanos()).isEqualTo(3_201_019_135L);
      assertThat(back.graph()).isEqualTo(at32.graph());
      // The graph is 0.2 s (the peer wait) behind the events: head's 320 bytes to cat are in, the parent's and
      // child's exchange of 3.22 s is not.
      assertThat(pipes(back.graph())).containsExactly("18190>18003 62B/1", "18211>18213 320B/1");
      // Its rates are against the last tick before it, 0.1 s earlier as the publish interval is.
      assertThat(back.baseline()).isNotNull();
      Straight at309 = straight(3_090 * MS);
      assertThat(back.baseline().atNanos() - start).isEqualTo(at309.atNanos()).isEqualTo(3_094_779_356L);
      assertThat(back.baseline().graph()).isEqualTo(at309.graph());
      // The operations up to there, for the Events view, and none from after.
      assertThat(back.baseline().recent()).isEmpty();
      assertThat(back.recent()).isNotEmpty().isEqualTo(at32.operations());
      assertThat(source.status().label()).isEqualTo("00:03.2 / 00:03.4 x1024 PAUSED");

      source.seekBy(100 * MS); // to 3.30 s: the first tick after is 3.31 s, with the exchange
      TopFrame forward = awaitFrame(source, f -> f.timeline() == 2);
      Straight at330 = straight(3_301 * MS);
      assertThat(forward.atNanos() - start).isEqualTo(at330.atNanos()).isEqualTo(3_307_878_182L);
      assertThat(forward.graph()).isEqualTo(at330.graph());
      assertThat(pipes(forward.graph())).containsExactly("18190>18003 62B/1", "18190>18208 320B/5",
          "18208>18190 320B/5", "18211>18213 320B/1");

      source.seekBy(-60_000 * MS); // before the start: to the first tick, the /proc snapshot and little else
      TopFrame first = awaitFrame(source, f -> f.timeline() == 3);
      assertThat(first.atNanos() - start).isEqualTo(straight(0).atNanos());
      assertThat(pipes(first.graph())).isEmpty();
      assertThat(source.status().positionNanos()).isEqualTo(first.atNanos() - start);
    }
  }

  @Test
  void pressesAddUpAndASeekPastTheEndStopsAtIt() throws Exception {
    try (ReplayTopSource source = playedToTheEnd()) {
      source.togglePause();
      source.seekBy(-3_000 * MS);
      source.seekBy(-300 * MS);
      source.seekBy(200 * MS); // 3.42 - 3.1: the first tick at or after 0.32 s
      TopFrame f = awaitFrame(source, frame -> frame.timeline() == 1);
      assertThat(f.atNanos() - start).isEqualTo(straight(LENGTH - 3_100 * MS).atNanos());
      source.seekBy(60_000 * MS);
      await(source, s -> s.ended() && s.seekingToNanos() < 0);
      assertThat(source.status().positionNanos()).isEqualTo(LENGTH);
      source.seekBy(10_000 * MS); // at the end, forward is nowhere
      assertThat(source.status().seekingToNanos()).isEqualTo(-1);
    }
  }

  @Test
  void aPauseHoldsTheRecordedClockAndPlayGoesOnFromThere() throws Exception {
    try (ReplayTopSource source = new ReplayTopSource(RECORDING, 1, 100)) {
      awaitFrame(source, f -> true);
      source.togglePause();
      Thread.sleep(200); // a frame the replayer was publishing as the pause came is out by now
      while (source.poll().isPresent()) {
        // the screen catches up with where the replay stopped
      }
      Playback.Status paused = source.status();
      assertThat(paused.paused()).isTrue();
      Thread.sleep(1_500);
      assertThat(source.poll()).isEmpty();
      assertThat(source.status()).isEqualTo(paused);

      source.togglePause();
      TopFrame next = awaitFrame(source, f -> true);
      // Had the paused 1.5 s counted, the replay would be at its end (it has 1.1 s of ticks) or near.
      assertThat(next.atNanos() - start - paused.positionNanos()).isPositive().isLessThan(500 * MS);
      assertThat(source.status().ended()).isFalse();
    }
  }

  @Test
  void aCutRecordingPlaysToWhereItIsCutAndSaysSo(@TempDir Path dir) throws Exception {
    Path cut = dir.resolve("cut.bin");
    byte[] whole = Files.readAllBytes(RECORDING);
    Files.write(cut, Arrays.copyOf(whole, whole.length - 600));
    try (ReplayTopSource source = new ReplayTopSource(cut, ReplayTopSource.MAX_SPEED, 100)) {
      Playback.Status end = await(source, Playback.Status::ended);
      assertThat(end.positionNanos()).isPositive().isLessThan(LENGTH);
      assertThat(source.describe()).contains(": recording truncated at byte");
      source.togglePause();
      source.seekBy(-end.positionNanos());
      TopFrame again = awaitFrame(source, f -> f.timeline() == 1);
      assertThat(again.atNanos() - start).isEqualTo(straight(0).atNanos());
    }
  }

  @Test
  void speedDoublesAndHalvesWithinItsLimits() throws Exception {
    try (ReplayTopSource source = new ReplayTopSource(RECORDING, 1, 100)) {
      source.changeSpeed(2);
      assertThat(source.status().speed()).isEqualTo(2);
      source.changeSpeed(0.5);
      source.changeSpeed(0.5);
      assertThat(source.status().speed()).isEqualTo(0.5);
      for (int i = 0; i < 20; i++) {
        source.changeSpeed(0.5);
      }
      assertThat(source.status().speed()).isEqualTo(ReplayTopSource.MIN_SPEED);
      assertThat(source.playback()).containsSame(source);
    }
  }
}
