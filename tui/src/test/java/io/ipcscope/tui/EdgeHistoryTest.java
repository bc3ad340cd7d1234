package io.ipcscope.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The sparkline's window of samples, and that a window that cannot change is not copied. */
class EdgeHistoryTest {

  @Test
  void keepsTheNewestSamplesOldestFirst() {
    EdgeHistory h = new EdgeHistory(0, false);
    for (int i = 1; i <= 5; i++) {
      h.sample(i, 3);
    }
    assertThat(h.samples()).containsExactly(3.0, 4.0, 5.0);
  }

  @Test
  void aFullWindowOfOneValueIsTheSameListWhenTheValueRepeats() {
    EdgeHistory h = new EdgeHistory(0, false);
    h.sample(7, 3);
    h.sample(0, 3);
    h.sample(0, 3);
    assertThat(h.samples()).containsExactly(7.0, 0.0, 0.0);
    h.sample(0, 3); // the 7 drops out: a new window
    List<Double> idle = h.samples();
    assertThat(idle).containsExactly(0.0, 0.0, 0.0);
    h.sample(0, 3);
    h.sample(0, 3);
    assertThat(h.samples()).isSameAs(idle);
    h.sample(2, 3);
    assertThat(h.samples()).containsExactly(0.0, 0.0, 2.0);
  }

  @Test
  void samplesCanBeKeptAcrossFrames() {
    EdgeHistory h = new EdgeHistory(0, false);
    h.sample(1, 3);
    List<Double> before = h.samples();
    h.sample(2, 3);
    assertThat(before).containsExactly(1.0);
    assertThat(h.samples()).containsExactly(1.0, 2.0);
  }
}
