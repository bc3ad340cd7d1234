package io.ipcscope.collector.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.Mechanism;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each message taken from a queue names the process that sent it, and the send names its receiver. */
class MessageQueuePairingTest {

  private static final long MS = 1_000_000L;
  private static final long HOLD = 100 * MS;

  private final ProcessTable processes = new ProcessTable();
  private final ChannelTable channels = new ChannelTable();
  private final List<ResolvedEvent> out = new ArrayList<>();
  private final PeerJoiner joiner = new PeerJoiner(processes, channels, HOLD, out::add);

  private List<String> pairs() {
    return out.stream().map(r -> r.event().op().id() + ":" + r.event().pid() + ">" + r.peerPid() + "@"
        + r.event().extra() + (r.peerGuessed() ? "?" : "")).toList();
  }

  /** Three senders queue messages of priority 0, 4 and 8; the receiver takes the highest priority first. */
  @Test
  void posixReceivesArePairedByPriorityNotBySendOrder() {
    joiner.accept(Events.queueSend(1 * MS, 10, "a", Mechanism.POSIX_MQ, 77, 3, 0));
    joiner.accept(Events.queueSend(2 * MS, 11, "b", Mechanism.POSIX_MQ, 77, 3, 4));
    joiner.accept(Events.queueSend(3 * MS, 12, "c", Mechanism.POSIX_MQ, 77, 3, 8));
    assertThat(out).as("sends wait for their receiver").isEmpty();
    joiner.accept(Events.queueReceive(4 * MS, 20, "r", Mechanism.POSIX_MQ, 77, 3, 8));
    joiner.accept(Events.queueReceive(5 * MS, 20, "r", Mechanism.POSIX_MQ, 77, 3, 4));
    joiner.accept(Events.queueReceive(6 * MS, 20, "r", Mechanism.POSIX_MQ, 77, 3, 0));
    joiner.drain();
    assertThat(pairs()).containsExactly(
        "send:10>20@0", "send:11>20@4", "send:12>20@8", "receive:20>12@8", "receive:20>11@4", "receive:20>10@0");
    assertThat(out.get(0).channel().display()).isEqualTo("posix_mq:[77]");
    assertThat(out.subList(3, 6)).extracting(ResolvedEvent::waitedNanos)
        .as("each message's time in the queue").containsExactly(1 * MS, 3 * MS, 5 * MS);
  }

  /** The receiver can return from msgrcv before the sender returns from msgsnd: the receive waits for its send. */
  @Test
  void aReceiveSeenBeforeItsSendWaitsForIt() {
    joiner.accept(Events.queueReceive(1 * MS, 20, "server", Mechanism.SYSV_MQ, 5, 16, 1));
    assertThat(out).isEmpty();
    joiner.accept(Events.queueSend(2 * MS, 10, "client", Mechanism.SYSV_MQ, 5, 16, 1));
    assertThat(pairs()).containsExactly("receive:20>10@1", "send:10>20@1");
    assertThat(out.get(0).channel().display()).isEqualTo("sysv_mq:[5]");
  }

  /** System V types select messages: a request of type 1 and a reply of type 2 share one queue. */
  @Test
  void systemVTypesKeepRequestsAndRepliesApart() {
    joiner.accept(Events.queueSend(1 * MS, 10, "client", Mechanism.SYSV_MQ, 5, 16, 1));
    joiner.accept(Events.queueSend(2 * MS, 11, "other", Mechanism.SYSV_MQ, 5, 4, 2));
    joiner.accept(Events.queueReceive(3 * MS, 20, "server", Mechanism.SYSV_MQ, 5, 16, 1));
    joiner.accept(Events.queueReceive(4 * MS, 10, "client", Mechanism.SYSV_MQ, 5, 4, 2));
    joiner.drain();
    assertThat(pairs()).containsExactly("send:10>20@1", "send:11>10@2", "receive:20>10@1", "receive:10>11@2");
  }

  /**
   * A message nobody takes within the hold window: its send is handed on with the queue's latest reader as a guess,
   * and the receive that finally takes it still names the sender exactly.
   */
  @Test
  void aLateReceiveStillNamesItsSender() {
    joiner.accept(Events.queueSend(1 * MS, 10, "client", Mechanism.SYSV_MQ, 5, 8, 1));
    joiner.accept(Events.queueReceive(2 * MS, 20, "server", Mechanism.SYSV_MQ, 5, 8, 1));
    joiner.accept(Events.queueSend(3 * MS, 10, "client", Mechanism.SYSV_MQ, 5, 8, 1));
    joiner.flush(3 * MS + HOLD);
    assertThat(pairs()).containsExactly("send:10>20@1", "receive:20>10@1", "send:10>20@1?");
    joiner.accept(Events.queueReceive(500 * MS, 21, "worker", Mechanism.SYSV_MQ, 5, 8, 1));
    joiner.drain();
    assertThat(pairs().get(3)).isEqualTo("receive:21>10@1");
  }

  /** Queues are apart: the same selector on another queue is another message. */
  @Test
  void queuesDoNotShareMessages() {
    joiner.accept(Events.queueSend(1 * MS, 10, "a", Mechanism.POSIX_MQ, 77, 3, 0));
    joiner.accept(Events.queueReceive(2 * MS, 20, "r", Mechanism.POSIX_MQ, 78, 3, 0));
    joiner.flush(2 * MS + HOLD);
    assertThat(out).allSatisfy(r -> assertThat(r.peerPid()).isZero());
  }
}
