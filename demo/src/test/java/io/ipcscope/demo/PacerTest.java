package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PacerTest {

  @Test
  void grantsExactlyTheMessageCount() throws Exception {
    Pacer pacer = new Pacer(5, 0, 0);
    int n = 0;
    while (pacer.next()) {
      n++;
    }
    assertThat(n).isEqualTo(5);
    assertThat(pacer.count()).isEqualTo(5);
    assertThat(pacer.next()).isFalse();
  }

  @Test
  void spacesSlotsByTheRateAndStopsAtTheDeadline() throws Exception {
    long start = System.nanoTime();
    Pacer pacer = new Pacer(1, 50, System.currentTimeMillis() + 300);
    while (pacer.next()) {
      // Count slots.
    }
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertThat(pacer.count()).isBetween(10L, 16L);
    assertThat(elapsedMs).isBetween(200L, 1000L);
  }
}
