package io.ipcscope.collector.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerJoinerTest {

  private static final long MS = 1_000_000L;
  private static final long HOLD = 100 * MS;

  private final ProcessTable processes = new ProcessTable();
  private final ChannelTable channels = new ChannelTable();
  private final List<ResolvedEvent> out = new ArrayList<>();
  private final PeerJoiner joiner = new PeerJoiner(processes, channels, HOLD, out::add);

  /** sh creates the pipe, forks head and cat; head writes before cat's first read reaches us. */
  @Test
  void shellPipelineNamesBothEndsEvenWhenTheWriterIsFirst() {
    joiner.accept(Events.pipeCreate(1 * MS, 100, "sh", 555, 0));
    joiner.accept(Events.fork(2 * MS, 100, "sh", 101));
    joiner.accept(Events.fork(3 * MS, 100, "sh", 102));
    joiner.accept(Events.exec(4 * MS, 101, "head", "/usr/bin/head"));
    joiner.accept(Events.exec(5 * MS, 102, "cat", "/usr/bin/cat"));
    joiner.accept(Events.pipeWrite(6 * MS, 101, "head", 555, 4096));
    joiner.accept(Events.pipeWrite(7 * MS, 101, "head", 555, 4096));
    assertThat(out).hasSize(5); // the writes wait for their reader
    joiner.accept(Events.pipeRead(8 * MS, 102, "cat", 555, 8192));
    joiner.accept(Events.pipeRead(9 * MS, 102, "cat", 555, 0));
    joiner.drain();

    List<ResolvedEvent> transfers = out.subList(5, 9);
    assertThat(transfers).extracting(r -> r.event().pid() + ">" + r.peerPid() + ":" + r.peerComm())
        .containsExactly("101>102:cat", "101>102:cat", "102>101:head", "102>101:head");
    assertThat(transfers).noneMatch(ResolvedEvent::peerGuessed);
    assertThat(transfers.get(0).channel().display()).isEqualTo("pipe:[555]");
  }

  @Test
  void outputKeepsKernelOrderBehindAWaitingEvent() {
    joiner.accept(Events.pipeWrite(1 * MS, 10, "w", 7, 1));
    joiner.accept(Events.fork(2 * MS, 10, "w", 11));
    assertThat(out).isEmpty();
    joiner.accept(Events.pipeRead(3 * MS, 12, "r", 7, 1));
    assertThat(out).extracting(r -> r.event().op().id()).containsExactly("write", "fork", "read");
  }

  @Test
  void afterTheHoldWindowAHolderOfTheOtherEndIsAGuess() {
    joiner.accept(Events.fifoOpen(1 * MS, 20, "reader", 45, 900, 0, "/tmp/f"));
    joiner.accept(Events.fifoOpen(2 * MS, 21, "writer", 45, 900, 1, "/tmp/f"));
    joiner.accept(Events.fifoWrite(3 * MS, 21, "writer", 45, 900, 10));
    joiner.flush(3 * MS + HOLD - 1);
    assertThat(out).hasSize(2);
    joiner.flush(3 * MS + HOLD);

    assertThat(out).hasSize(3);
    ResolvedEvent write = out.get(2);
    assertThat(write.peerPid()).isEqualTo(20);
    assertThat(write.peerGuessed()).isTrue();
    assertThat(write.path()).isEqualTo("/tmp/f");
    assertThat(write.channel().display()).isEqualTo("fifo:[0:45:900]");
    assertThat(out.get(1).peerPid()).as("the writer's open meets the reader").isEqualTo(20);
    assertThat(out.get(0).peerPid()).as("the reader's open waited for the writer's").isEqualTo(21);
    assertThat(out.get(0).peerGuessed()).isFalse();
  }

  @Test
  void nobodyAtTheOtherEndLeavesThePeerUnnamed() {
    joiner.accept(Events.pipeWrite(1 * MS, 30, "lonely", 8, 1));
    joiner.drain();
    assertThat(out).singleElement().satisfies(r -> {
      assertThat(r.peerPid()).isZero();
      assertThat(r.peerComm()).isEmpty();
    });
  }

  @Test
  void anExitedReaderIsNoLongerAPeer() {
    joiner.accept(Events.pipeRead(1 * MS, 40, "r", 9, 1));
    joiner.accept(Events.exit(2 * MS, 40, "r"));
    joiner.accept(Events.pipeWrite(3 * MS, 41, "w", 9, 1));
    joiner.drain();
    assertThat(out.get(2).peerPid()).isZero();
    assertThat(out.get(1).peerPid()).as("an exit names the parent; unknown here").isZero();
  }

  @Test
  void bytesAnExitedWriterLeftInThePipeAreStillItsOwn() {
    joiner.accept(Events.pipeWrite(1 * MS, 70, "head", 5, 1808));
    joiner.accept(Events.exit(2 * MS, 70, "head"));
    joiner.accept(Events.pipeRead(3 * MS, 71, "cat", 5, 1808));
    joiner.drain();
    assertThat(out.get(0).peerPid()).as("the write waited for its reader").isEqualTo(71);
    assertThat(out.get(2).peerPid()).as("the read names the writer that is gone").isEqualTo(70);
    assertThat(out.get(2).peerComm()).isEqualTo("head");
    assertThat(channels.holders(ChannelKey.pipe(5))).containsExactly(71);

    channels.prune(2 * MS + 10_000 * MS, 10_000 * MS);
    assertThat(channels.activePeer(ChannelKey.pipe(5), 71, false)).as("kept for the retention time").hasValue(70);
    channels.prune(2 * MS + 10_000 * MS + 1, 10_000 * MS);
    assertThat(channels.activePeer(ChannelKey.pipe(5), 71, false)).isEmpty();
  }

  @Test
  void aProcessIsNamedByItsLeaderNotByTheThreadThatActed() {
    joiner.accept(Events.exec(1 * MS, 80, "java", "/usr/bin/java"));
    IpcEvent fromThread = new IpcEvent(2 * MS, 1_000_000_000L, 6, 1, 0, 80, 83, 0, 0, 0, 1, 3, 0, 0,
        Mechanism.PIPE, Operation.WRITE, 0, "process reaper", 1, "");
    joiner.accept(fromThread);
    joiner.accept(Events.pipeRead(3 * MS, 81, "cat", 6, 1));
    joiner.drain();
    assertThat(out.get(1).comm()).isEqualTo("java");
    assertThat(out.get(2).peerComm()).isEqualTo("java");
  }

  @Test
  void aReusedPidIsAliveAgainAndPruningItsPredecessorBreaksNothing() {
    joiner.accept(Events.fifoOpen(1 * MS, 90, "w", 45, 901, 1, "/tmp/g"));
    joiner.accept(Events.fifoWrite(2 * MS, 90, "w", 45, 901, 3));
    joiner.accept(Events.exit(3 * MS, 90, "w"));
    joiner.accept(Events.fifoOpen(4 * MS, 90, "w2", 45, 901, 1, "/tmp/g")); // pid 90 again, a new process
    channels.prune(3 * MS + 20_000 * MS, 10_000 * MS);
    joiner.accept(Events.fork(5 * MS, 90, "w2", 91));
    joiner.accept(Events.exit(6 * MS, 90, "w2"));
    joiner.drain();
    assertThat(channels.holders(ChannelKey.fifo(45, 901))).containsExactly(91);
  }

  @Test
  void holdingsAreReconciledWithWhatIsStillOpen() {
    for (long inode = 1; inode <= 40; inode++) {
      joiner.accept(Events.pipeCreate(inode * MS, 95, "bash", inode, 0));
    }
    assertThat(channels.heavyHolders(32)).containsExactly(95);
    channels.retainHoldings(95, java.util.Set.of(ChannelKey.pipe(40)));
    assertThat(channels.heavyHolders(32)).isEmpty();
    assertThat(channels.holders(ChannelKey.pipe(40))).containsExactly(95);
    assertThat(channels.holders(ChannelKey.pipe(1))).isEmpty();
  }

  @Test
  void aForkedChildInheritsItsParentsEnds() {
    joiner.accept(Events.pipeCreate(1 * MS, 50, "parent", 77, 0));
    joiner.accept(Events.fork(2 * MS, 50, "parent", 51));
    assertThat(channels.holders(ChannelKey.pipe(77))).containsExactlyInAnyOrder(50, 51);
    joiner.accept(Events.exit(3 * MS, 50, "parent"));
    assertThat(channels.holders(ChannelKey.pipe(77))).containsExactly(51);
  }

  @Test
  void execDropsCloseOnExecEndsItNeverUsed() {
    joiner.accept(Events.pipeCreate(1 * MS, 60, "p", 88, 02000000));
    joiner.accept(Events.exec(2 * MS, 60, "q", "/bin/q"));
    assertThat(channels.holders(ChannelKey.pipe(88))).isEmpty();
  }
}
