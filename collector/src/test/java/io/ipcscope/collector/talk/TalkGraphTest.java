package io.ipcscope.collector.talk;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.flow.CausalOrder;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.Events;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

class TalkGraphTest {

  private final ProcessTable processes = new ProcessTable();
  private final TalkGraph graph = new TalkGraph(processes);
  private final CausalOrder order = new CausalOrder(1_000, graph);

  private void feed(IpcEvent e, ChannelKey channel, int peerPid, long waitedNanos) {
    processes.apply(e);
    order.accept(new ResolvedEvent(e, e.comm(), peerPid, "", channel, "", false, waitedNanos, List.of()));
  }

  private void feed(IpcEvent e) {
    feed(e, ChannelTable.channelOf(e).orElse(null), 0, 0);
  }

  /** "from>to mechanism ops/bytes" (or "a-b" when undirected), by pid. */
  private List<String> edges() {
    return graph.snapshot().edges().stream().map(e -> e.key().from().pid() + (e.directed() ? ">" : "-")
        + e.key().to().pid() + " " + e.mechanism().id() + " " + e.messages() + "/" + e.bytes()
        + (e.latencyCount() > 0 ? " max " + e.latencyMaxNanos() : "")).toList();
  }

  private static IpcEvent sem(long ts, int pid, Operation op) {
    return new IpcEvent(ts, 1_000_000_000L, 5, 0, 0, pid, pid, 0, 0, 0, 0, -1, 0, op == Operation.POST ? 1 : -1,
        Mechanism.SEM, op, 0, "p" + pid, 0, "");
  }

  private static IpcEvent lock(long ts, int pid) {
    return new IpcEvent(ts, 1_000_000_000L, 77, 0, 0, pid, pid, 0, 0, 8, 0, -1, 0, 0, Mechanism.FILE_LOCK,
        Operation.ACQUIRE, 0, "p" + pid, 0, "");
  }

  @Test
  void aPipeEdgeCountsWhatTheReaderTookFromTheWriter() {
    feed(Events.pipeCreate(1, 10, "sh", 3, 0));
    feed(Events.pipeWrite(10, 100, "a", 3, 5));
    feed(Events.pipeWrite(20, 100, "a", 3, 5));
    feed(Events.pipeRead(30, 200, "b", 3, 10));
    feed(Events.pipeRead(40, 200, "b", 3, 0)); // end of file: takes nothing

    assertThat(edges()).containsExactly("100>200 pipe 1/10 max 20");
  }

  @Test
  void aChannelListsItsEndsByRole() {
    feed(Events.pipeCreate(1, 10, "sh", 3, 0));
    feed(Events.pipeWrite(10, 100, "a", 3, 5));
    feed(Events.pipeRead(20, 200, "b", 3, 5));
    feed(Events.pipeWrite(30, 101, "c", 3, 2));
    feed(Events.pipeRead(40, 200, "b", 3, 2));

    assertThat(ChannelView.of(graph.snapshot())).singleElement().satisfies(c -> {
      assertThat(c.channel().display()).isEqualTo("pipe:[3]");
      assertThat(c.endpoints()).extracting(end -> end.process().pid() + " " + end.role())
          .containsExactly("100 writer", "200 reader", "101 writer");
      assertThat(c.bytes()).isEqualTo(7);
      assertThat(c.messages()).isEqualTo(2);
      assertThat(c.maxBacklogBytes()).isEqualTo(5);
    });
  }

  @Test
  void bytesWithoutAnObservedWriteComeFromThePeerTheCollectorNamed() {
    IpcEvent read = Events.pipeRead(30, 200, "b", 3, 7);
    feed(read, ChannelTable.channelOf(read).orElseThrow(), 100, 0);
    order.drain();

    assertThat(graph.snapshot().edges()).singleElement().satisfies(e -> {
      assertThat(e.key().from().pid()).isEqualTo(100);
      assertThat(e.bytes()).isZero();
      assertThat(e.unobservedBytes()).isEqualTo(7);
    });
  }

  @Test
  void semaphoreUsersAreTiedWithUndirectedEdges() {
    ChannelKey set = ChannelKey.semaphoreSet(1, 5);
    feed(sem(10, 300, Operation.WAIT), set, 0, 0);
    feed(sem(20, 100, Operation.POST), set, 0, 0);
    feed(sem(30, 300, Operation.WAIT), set, 0, 0);
    feed(sem(40, 200, Operation.POST), set, 0, 0);

    // 100's post met 300; 300's second wait met 100; 200's post met both
    assertThat(edges()).containsExactly("100-200 sem 1/0", "100-300 sem 2/0", "200-300 sem 1/0");
  }

  @Test
  void aLockTakenAfterAWaitCarriesTheWaitOnTheEdgeToItsHolder() {
    ChannelKey file = ChannelKey.lockedFile(8, 77);
    feed(lock(10, 100), file, 0, 0);
    feed(lock(50, 200), file, 100, 35);

    assertThat(edges()).containsExactly("100-200 file_lock 1/0 max 35");
  }
}
