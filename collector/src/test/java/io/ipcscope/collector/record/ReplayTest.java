package io.ipcscope.collector.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.pipeline.ModelDriver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {

  @TempDir Path dir;

  @Test
  void replayHandsOnExactlyWhatTheLiveModelDidWithoutAskingTheHost() throws Exception {
    Path file = dir.resolve("rec.bin");
    Scenario scenario = new Scenario();
    List<ResolvedEvent> live = scenario.record(file);
    assertThat(scenario.host.questions).containsExactly("snapshot", "details 10", "details 11", "holds 11 pipe:[77]", "mount 26", "open 10");

    List<ResolvedEvent> replayed = new ArrayList<>();
    List<String> told = new ArrayList<>();
    ReplayResult result = Replay.run(file, replayed::add, new ReplayListener() {
      @Override
      public void started(RecordingHeader header, ModelDriver driver) {
        told.add("started " + header.hostName() + " " + driver.seededProcesses());
      }

      @Override
      public void lost(long nanos, long count) {
        told.add("lost " + (nanos - Scenario.T0) + " " + count);
      }

      @Override
      public void note(String key, String value) {
        told.add("note " + key + "=" + value);
      }
    });

    assertThat(result.error()).isEmpty();
    assertThat(replayed).isEqualTo(live).hasSize(44);
    assertThat(result.events()).isEqualTo(44);
    assertThat(result.lostEvents()).isEqualTo(3);
    assertThat(told).containsExactly("started testhost 2", "note trace.follow=10", "lost 600000000 3");
    assertThat(result.header()).isEqualTo(new RecordingHeader(1, "testhost", "6.1.0",
        1_700_000_000_000_000_000L - Scenario.T0, Scenario.T0, Scenario.PEER_WAIT, 4242));
    // the write nobody was seen reading: cat[11] said it no longer holds the pipe, so no peer is named
    assertThat(replayed.get(0).peerPid()).isZero();
    assertThat(replayed.get(1).path()).isEqualTo("/dev/shm/ring");
    // the reconcile at 11 s dropped the 40 pipes sh[10] no longer has open
    assertThat(result.driver().channels().holders(ChannelKey.pipe(1000))).isEmpty();
    assertThat(replayed.get(42).peerPid()).isEqualTo(10);
    assertThat(replayed.get(43).peerPid()).isEqualTo(11);
  }

  @Test
  void twoReplaysAreIdentical() throws Exception {
    Path file = dir.resolve("rec.bin");
    new Scenario().record(file);
    List<ResolvedEvent> first = new ArrayList<>();
    List<ResolvedEvent> second = new ArrayList<>();
    Replay.run(file, Scenario.PEER_WAIT, first::add);
    Replay.run(file, Scenario.PEER_WAIT, second::add);
    assertThat(first).hasSize(44).isEqualTo(second);
  }

  @Test
  void anotherPeerWaitReplaysEverythingAnsweringUnrecordedQuestionsByTrust() throws Exception {
    Path file = dir.resolve("rec.bin");
    new Scenario().record(file);
    List<ResolvedEvent> replayed = new ArrayList<>();
    ReplayResult result = Replay.run(file, 400_000_000L, replayed::add);
    assertThat(result.error()).isEmpty();
    assertThat(result.events()).isEqualTo(44);
    // waiting 400 ms, the write is still waiting at the 300 ms tick: the holders are asked only at 1 s, unrecorded
    // there, so cat[11] is trusted to hold the pipe and named as a guess
    assertThat(replayed.get(0).peerPid()).isEqualTo(11);
    assertThat(replayed.get(0).peerGuessed()).isTrue();
  }
}
