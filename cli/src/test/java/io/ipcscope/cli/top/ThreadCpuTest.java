package io.ipcscope.cli.top;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-thread CPU from /proc: a thread that spins shows up under its own name, one that sleeps does not. */
class ThreadCpuTest {

  private static volatile long sink; // keeps the spin loop from being compiled away

  @Test
  @Timeout(30)
  void aSpinningThreadIsChargedItsTime() throws Exception {
    Map<Integer, ThreadCpu.Sample> before = ThreadCpu.sample();
    Thread spinner = new Thread(() -> {
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
      while (System.nanoTime() < until) {
        sink += System.nanoTime() & 1;
      }
      try {
        Thread.sleep(5_000); // alive when sampled below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tcpu-spinner");
    Thread sleeper = new Thread(() -> {
      try {
        Thread.sleep(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "tcpu-sleeper");
    spinner.start();
    sleeper.start();
    spinner.join(300);
    Thread.sleep(300);
    Map<String, Long> used = ThreadCpu.used(before, ThreadCpu.sample(), name -> name);
    spinner.interrupt();
    sleeper.interrupt();
    // 200 ms of spinning, of which a loaded machine may give it less than all
    assertThat(used.get("tcpu-spinner")).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(20));
    assertThat(used.get("tcpu-sleeper")).isLessThan(TimeUnit.MILLISECONDS.toNanos(20));
  }
}
