package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The System V queue facade on real queues (no root needed). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SysvQueueTest {

  private static final int IPC_PRIVATE = 0;

  /** Above pid_max (2^22) in its low bits, so never a demo's key. */
  private static final int TEST_KEY = 0x49800000 | (int) ProcessHandle.current().pid();

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void receiversSelectByTypeAndGetTheTextWithoutTheType() throws Exception {
    try (SysvQueue.Created created = SysvQueue.create(IPC_PRIVATE)) {
      SysvQueue queue = created.queue();
      queue.send(SysvMqWorkload.REPLY, text("reply"));
      queue.send(SysvMqWorkload.REQUEST, text("request"));
      byte[] buffer = new byte[16];

      assertThat(queue.receive(SysvMqWorkload.REQUEST, buffer)).isEqualTo(7);
      assertThat(Arrays.copyOf(buffer, 7)).isEqualTo(text("request"));
      assertThat(queue.receive(SysvMqWorkload.REPLY, buffer)).isEqualTo(5);
      assertThat(Arrays.copyOf(buffer, 5)).isEqualTo(text("reply"));
    }
  }

  @Test
  void aTooSmallBufferFailsInsteadOfCutting() {
    try (SysvQueue.Created created = SysvQueue.create(IPC_PRIVATE)) {
      created.queue().send(1, text("0123456789"));

      assertThatThrownBy(() -> created.queue().receive(1, new byte[4]))
          .isInstanceOf(ErrnoException.class)
          .hasMessage("msgrcv queue " + created.queue().id() + " mtype 1: E2BIG (Argument list too long)");
    }
  }

  @Test
  void removalEndsAWaitingReceiverAndHappensOnce() throws Exception {
    SysvQueue.Created created = SysvQueue.create(IPC_PRIVATE);
    SysvQueue queue = created.queue();
    assertThat(MessageQueues.sysvIds()).contains(queue.id());
    CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> queue.receiveUnlessRemoved(1, new byte[8]));
    Thread.sleep(100);
    assertThat(waiting).isNotDone();

    created.close();
    created.close(); // A second IPC_RMID would fail with EINVAL, or hit a new queue with the id.

    assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    assertThat(queue.receiveUnlessRemoved(1, new byte[8])).isEqualTo(-1);
    assertThatThrownBy(() -> queue.receive(1, new byte[8])).isInstanceOf(ErrnoException.class)
        .hasMessageContaining("EINVAL");
    assertThat(MessageQueues.sysvIds()).doesNotContain(queue.id());
  }

  @Test
  void aTakenKeySaysHowToRemoveTheQueue() throws Exception {
    try (SysvQueue.Created first = SysvQueue.create(TEST_KEY)) {
      assertThat(MessageQueues.sysvKeys()).contains(TEST_KEY);

      assertThatThrownBy(() -> SysvQueue.create(TEST_KEY))
          .isInstanceOf(ErrnoException.class)
          .hasMessage(String.format("msgget key 0x%08x: EEXIST (File exists); left by a killed demo? "
              + "remove it with: ipcscope demo --cleanup (or ipcrm -Q 0x%08x)", TEST_KEY, TEST_KEY));
    }
    assertThat(MessageQueues.sysvKeys()).doesNotContain(TEST_KEY);
  }
}
