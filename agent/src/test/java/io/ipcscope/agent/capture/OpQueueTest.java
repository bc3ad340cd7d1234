package io.ipcscope.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OpQueueTest {

  private static IpcOp op(int producer, long n) {
    return new IpcOp("pipe", "write", "pipe:[" + producer + "]", n, 0, producer, n, n, null);
  }

  @Test
  void keepsTheOrderAndDropsWhatDoesNotFitCountingIt() throws Exception {
    OpQueue queue = new OpQueue(4);
    for (int i = 0; i < 6; i++) {
      queue.offer(op(1, i));
    }
    assertThat(queue.size()).isEqualTo(4);
    assertThat(queue.accepted()).isEqualTo(4);
    assertThat(queue.dropped()).isEqualTo(2);

    List<IpcOp> batch = new ArrayList<>();
    assertThat(queue.drainTo(batch, 3, 0)).isEqualTo(3);
    assertThat(queue.drainTo(batch, 10, 0)).isEqualTo(1);
    assertThat(batch).extracting(o -> o.bytes).containsExactly(0L, 1L, 2L, 3L);
    assertThat(queue.size()).isZero();

    queue.offer(op(1, 6)); // room again, in the slots the first ones left
    assertThat(queue.drainTo(batch, 10, 0)).isEqualTo(1);
    assertThat(batch.get(4).bytes).isEqualTo(6);
    assertThat(queue.accepted()).isEqualTo(5);
    assertThat(queue.dropped()).isEqualTo(2);
  }

  @Test
  @Timeout(60)
  void manyProducersOneConsumerEveryOperationOnceInEachProducersOrder() throws Exception {
    int producers = 4;
    int each = 200_000;
    OpQueue queue = new OpQueue(1024);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int producer = p;
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (long n = 0; n < each; n++) {
          queue.offer(op(producer, n));
        }
      });
      t.start();
      threads.add(t);
    }
    long[] next = new long[producers];
    long received = 0;
    List<IpcOp> batch = new ArrayList<>();
    go.countDown();
    while (threads.stream().anyMatch(Thread::isAlive) || queue.size() > 0) {
      batch.clear();
      queue.drainTo(batch, 4096, 5);
      for (IpcOp o : batch) {
        assertThat(o.bytes).as("producer %d's operations in order, none twice", o.tid).isGreaterThanOrEqualTo(next[o.tid]);
        next[o.tid] = o.bytes + 1;
        received++;
      }
    }
    assertThat(received).isEqualTo(queue.accepted());
    assertThat(queue.accepted() + queue.dropped()).isEqualTo((long) producers * each);
  }

  @Test
  @Timeout(30)
  void aSleepingConsumerIsWokenByTheFirstOperationAndNotBefore() throws Exception {
    OpQueue queue = new OpQueue(16);
    List<IpcOp> batch = new ArrayList<>();
    long start = System.nanoTime();
    assertThat(queue.drainTo(batch, 10, 100)).isZero();
    assertThat(System.nanoTime() - start).as("waited the whole time out").isGreaterThanOrEqualTo(100_000_000L);

    Thread offerer = new Thread(() -> {
      try {
        Thread.sleep(300); // the consumer has lingered and gone to sleep by then
      } catch (InterruptedException e) {
        return;
      }
      queue.offer(op(1, 42));
    });
    start = System.nanoTime();
    offerer.start();
    assertThat(queue.drainTo(batch, 10, 20_000)).isEqualTo(1);
    long waited = System.nanoTime() - start;
    assertThat(batch.get(0).bytes).isEqualTo(42);
    assertThat(waited).as("woken by the offer, not by the 20 s time-out")
        .isBetween(TimeUnit.MILLISECONDS.toNanos(290), TimeUnit.SECONDS.toNanos(5));
    offerer.join();
  }

  @Test
  @Timeout(10)
  void wakeConsumerEndsItsWaitAtOnce() throws Exception {
    OpQueue queue = new OpQueue(4);
    List<IpcOp> batch = new ArrayList<>();
    CountDownLatch waiting = new CountDownLatch(1);
    long[] took = new long[1];
    Thread consumer = new Thread(() -> {
      waiting.countDown();
      long start = System.nanoTime();
      try {
        queue.drainTo(batch, 10, 60_000);
      } catch (InterruptedException e) {
        return;
      }
      took[0] = System.nanoTime() - start;
    });
    consumer.start();
    waiting.await();
    Thread.sleep(100); // past the linger, asleep

    queue.wakeConsumer();
    consumer.join(5_000);

    assertThat(consumer.isAlive()).isFalse();
    assertThat(batch).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(took[0])).isLessThan(5_000);
  }
}
