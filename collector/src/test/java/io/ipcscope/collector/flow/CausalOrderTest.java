package io.ipcscope.collector.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.Events;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CausalOrderTest {

  private static final long HOLD = 1_000_000;
  private static final long PIPE = 4242;

  private final List<CausalEvent> out = new ArrayList<>();
  private final CausalOrder order = new CausalOrder(HOLD, out::add);

  private static ResolvedEvent resolved(IpcEvent e) {
    return resolved(e, null);
  }

  private static ResolvedEvent resolved(IpcEvent e, IpcEvent matched) {
    return new ResolvedEvent(e, e.comm(), 0, "", ChannelTable.channelOf(e).orElse(null), "", false, 0, List.of(),
        matched);
  }

  private void accept(IpcEvent... events) {
    for (IpcEvent e : events) {
      order.accept(resolved(e));
    }
  }

  /** One consumer's causes as "producer-ts:bytes" strings, in stream order. */
  private static List<String> causes(CausalEvent c) {
    return c.causes().stream().map(k -> k.producer().tsNanos() + ":" + k.bytes() + (k.last() ? "" : "+")).toList();
  }

  @Test
  void threeWritesTwoReadsPairByOffset() {
    accept(Events.pipeCreate(1, 100, "a", PIPE, 0),
        Events.pipeWrite(10, 100, "a", PIPE, 10),
        Events.pipeWrite(20, 100, "a", PIPE, 20),
        Events.pipeWrite(30, 100, "a", PIPE, 30),
        Events.pipeRead(40, 200, "b", PIPE, 25),
        Events.pipeRead(50, 200, "b", PIPE, 35));

    assertThat(out).hasSize(6);
    CausalEvent first = out.get(4);
    CausalEvent second = out.get(5);
    // bytes [0,25) are write 1's 10 and the first 15 of write 2's 20; bytes [25,60) the rest of write 2 and write 3
    assertThat(causes(first)).containsExactly("10:10", "20:15+");
    assertThat(causes(second)).containsExactly("20:5", "30:30");
    assertThat(first.pairing()).isEqualTo(Pairing.EXACT);
    assertThat(second.pairing()).isEqualTo(Pairing.EXACT);
    // the fill level: 60 bytes after the third write; the first read found 60, the second the 35 left
    assertThat(out.get(3).backlogBytes()).isEqualTo(60);
    assertThat(first.backlogBytes()).isEqualTo(60);
    assertThat(second.backlogBytes()).isEqualTo(35);
    assertThat(out.get(1).role()).isEqualTo(Role.PRODUCER);
    assertThat(out.get(1).pairing()).isEqualTo(Pairing.NONE);
    assertThat(order.pending()).isZero();
  }

  @Test
  void aReadRecordedBeforeItsWriteWaitsForItAndSoDoesItsThread() {
    accept(Events.pipeCreate(1, 100, "a", PIPE, 0));
    // b's read returned (and was recorded) before a's write did; b then wrote elsewhere
    accept(Events.pipeRead(12, 200, "b", PIPE, 8), Events.pipeWrite(13, 200, "b", 777, 8));
    assertThat(out).hasSize(1);
    accept(Events.pipeWrite(11, 100, "a", PIPE, 8));

    assertThat(out).extracting(c -> c.resolved().event().tsNanos()).containsExactly(1L, 11L, 12L, 13L);
    assertThat(causes(out.get(2))).containsExactly("11:8");
    assertThat(out.get(2).pairing()).isEqualTo(Pairing.EXACT);
  }

  @Test
  void otherThreadsGoOnWhileAReadWaits() {
    accept(Events.pipeCreate(1, 100, "a", PIPE, 0), Events.pipeRead(12, 200, "b", PIPE, 8),
        Events.fork(13, 300, "c", 301));

    assertThat(out).extracting(c -> c.resolved().event().tsNanos()).containsExactly(1L, 13L);
  }

  @Test
  void aReadWhoseWriterWasNeverSeenGoesOnAfterTheHoldAsUnobserved() {
    accept(Events.pipeCreate(1, 100, "a", PIPE, 0), Events.pipeRead(10, 200, "b", PIPE, 5));
    order.flush(10 + HOLD / 2);
    assertThat(out).hasSize(1);
    order.flush(10 + HOLD);

    assertThat(out).hasSize(2);
    assertThat(out.get(1).pairing()).isEqualTo(Pairing.UNOBSERVED);
    assertThat(out.get(1).unobservedBytes()).isEqualTo(5);
    assertThat(order.unobservedBytes()).isEqualTo(5);
    // the lost write filled bytes [0,5): the next write pairs with the next read
    accept(Events.pipeWrite(2_000_000, 100, "a", PIPE, 3), Events.pipeRead(2_000_001, 200, "b", PIPE, 3));
    assertThat(causes(out.get(3))).containsExactly("2000000:3");
    assertThat(out.get(3).pairing()).isEqualTo(Pairing.EXACT);
  }

  @Test
  void aWriteThatComesAfterItsReadGaveUpFillsTheGapAndLaterPairingsStayRight() {
    accept(Events.pipeCreate(1, 100, "a", PIPE, 0), Events.pipeRead(20, 200, "b", PIPE, 5));
    order.flush(20 + HOLD);
    assertThat(out.get(1).pairing()).isEqualTo(Pairing.UNOBSERVED);
    // the write the read took (it returned at 10, before the read) reaches us late
    accept(Events.pipeWrite(10, 100, "a", PIPE, 5));
    accept(Events.pipeWrite(30, 100, "a", PIPE, 7), Events.pipeRead(40, 200, "b", PIPE, 7));

    assertThat(causes(out.get(4))).containsExactly("30:7");
    assertThat(out.get(4).pairing()).isEqualTo(Pairing.EXACT);
  }

  @Test
  void aClientsWriteBeforeTheServersAcceptIsKeptAndPairsExactly() {
    long client = 0x7f000001L << 16 | 40000;
    long server = 0x7f000001L << 16 | 8080;
    accept(Events.tcp(1, 100, Operation.CONNECT, client, server, 0),
        Events.tcp(2, 100, Operation.WRITE, client, server, 9),
        Events.tcp(3, 200, Operation.ACCEPT, server, client, 0),
        Events.tcp(4, 200, Operation.READ, client, server, 9));

    assertThat(causes(out.get(3))).containsExactly("2:9");
    assertThat(out.get(3).pairing()).isEqualTo(Pairing.EXACT);
  }

  @Test
  void aReadThatTookMoreThanTheWritesSeenIsPartial() {
    accept(Events.pipeCreate(1, 100, "a", PIPE, 0), Events.pipeWrite(10, 100, "a", PIPE, 4),
        Events.pipeRead(11, 200, "b", PIPE, 6));
    order.drain();

    assertThat(causes(out.get(2))).containsExactly("10:4");
    assertThat(out.get(2).pairing()).isEqualTo(Pairing.PARTIAL);
    assertThat(out.get(2).unobservedBytes()).isEqualTo(2);
  }

  @Test
  void aPipeNotSeenCreatedPairsOnTheAssumptionItWasEmpty() {
    accept(Events.pipeWrite(10, 100, "a", PIPE, 4), Events.pipeRead(11, 200, "b", PIPE, 4));

    assertThat(causes(out.get(1))).containsExactly("10:4");
    assertThat(out.get(1).pairing()).isEqualTo(Pairing.ASSUMED);
  }

  @Test
  void aReceiveRecordedBeforeItsSendComesOutAfterIt() {
    IpcEvent send = Events.queueSend(20, 100, "a", Mechanism.POSIX_MQ, 9, 64, 0);
    IpcEvent receive = Events.queueReceive(21, 200, "b", Mechanism.POSIX_MQ, 9, 64, 0);
    order.accept(resolved(receive, send));
    assertThat(out).isEmpty();
    order.accept(resolved(send));

    assertThat(out).extracting(c -> c.resolved().event().op()).containsExactly(Operation.SEND, Operation.RECEIVE);
    assertThat(causes(out.get(1))).containsExactly("20:64");
    assertThat(out.get(1).pairing()).isEqualTo(Pairing.EXACT);
  }

  @Test
  void aQueuesDepthIsTheBytesSentAndNotYetReceived() {
    IpcEvent first = Events.queueSend(20, 100, "a", Mechanism.POSIX_MQ, 9, 64, 0);
    IpcEvent second = Events.queueSend(21, 100, "a", Mechanism.POSIX_MQ, 9, 32, 0);
    order.accept(resolved(first));
    order.accept(resolved(second));
    order.accept(resolved(Events.queueReceive(22, 200, "b", Mechanism.POSIX_MQ, 9, 64, 0), first));
    order.accept(resolved(Events.queueReceive(23, 200, "b", Mechanism.POSIX_MQ, 9, 32, 0), second));

    // after each send: 64, then 96 queued; each receive found 96, then 32
    assertThat(out).extracting(CausalEvent::backlogBytes).containsExactly(64L, 96L, 96L, 32L);
  }

  @Test
  void aReceiveNotPairedWithASendIsUnobservedAtOnce() {
    order.accept(resolved(Events.queueReceive(21, 200, "b", Mechanism.SYSV_MQ, 9, 64, 1)));

    assertThat(out).hasSize(1);
    assertThat(out.get(0).pairing()).isEqualTo(Pairing.UNOBSERVED);
  }

  @Test
  void aSignalDeliveryPairsWithTheOldestQueuedSendOfThatSignalToThatProcess() {
    IpcEvent usr1 = signal(Operation.SEND, 10, 100, 200, 10, 0);
    IpcEvent ignored = signal(Operation.SEND, 11, 100, 200, 12, 1);
    IpcEvent usr2 = signal(Operation.SEND, 12, 101, 200, 12, 0);
    IpcEvent deliverUsr2 = signal(Operation.DELIVER, 13, 200, 101, 12, 2);
    IpcEvent deliverUsr1 = signal(Operation.DELIVER, 14, 200, 100, 10, 2);
    accept(deliverUsr2); // recorded before its send
    accept(usr1, ignored, usr2, deliverUsr1);

    assertThat(out).extracting(c -> c.resolved().event().tsNanos()).containsExactly(10L, 11L, 12L, 13L, 14L);
    assertThat(causes(out.get(3))).containsExactly("12:0");
    assertThat(causes(out.get(4))).containsExactly("10:0");
  }

  @Test
  void aDeliveryStillPairsWhenItsTargetsExitArrivesBeforeTheSendCouldGo() {
    // the sender's send waits behind its own read of bytes not yet seen; the target takes the signal and exits
    IpcEvent read = Events.pipeRead(5, 100, "java", PIPE, 6);
    IpcEvent send = signal(Operation.SEND, 10, 100, 300, 15, 0);
    IpcEvent deliver = signal(Operation.DELIVER, 11, 300, 100, 15, 2);
    IpcEvent exit = Events.exit(12, 300, "p300");
    accept(read, send, deliver, exit);
    assertThat(out).isEmpty();
    accept(Events.pipeWrite(4, 200, "sh", PIPE, 6));

    assertThat(out).extracting(c -> c.resolved().event().tsNanos()).containsExactly(4L, 5L, 10L, 11L, 12L);
    assertThat(causes(out.get(3))).containsExactly("10:0");
    assertThat(out.get(3).pairing()).isEqualTo(Pairing.EXACT);
  }

  /** A signal record: pid acts; for a send peer is the target, for a delivery the sender; status per ipcscope.h. */
  private static IpcEvent signal(Operation op, long ts, int pid, int peer, int signo, int status) {
    return new IpcEvent(ts, 1, 0, 0, 0, pid, pid, peer, 0, 0, 0, -1, signo, 0, Mechanism.SIGNAL, op, status, "p" + pid,
        0, "");
  }
}
