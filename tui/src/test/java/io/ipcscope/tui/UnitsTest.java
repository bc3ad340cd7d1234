package io.ipcscope.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnitsTest {

  @Test
  void bytesInBinaryUnitsWithinFiveColumns() {
    assertThat(Units.bytes(1000)).isEqualTo("1000");
    assertThat(Units.bytes(1229)).isEqualTo("1.2K");
    assertThat(Units.bytes(3.4 * 1024 * 1024)).isEqualTo("3.4M");
    assertThat(Units.bytes(500 * 1024)).isEqualTo("500K");
  }

  @Test
  void countsKeepADecimalOnlyWhereItSaysSomething() {
    assertThat(Units.count(2.0000001)).isEqualTo("2");
    assertThat(Units.count(0.5)).isEqualTo("0.5");
    assertThat(Units.count(1234)).isEqualTo("1.2k");
  }

  @Test
  void latencyAndAge() {
    assertThat(Units.latency(0)).isEqualTo("-");
    assertThat(Units.latency(850)).isEqualTo("850ns");
    assertThat(Units.latency(15_000)).isEqualTo("15µs");
    assertThat(Units.latency(1_500_000)).isEqualTo("1.5ms");
    assertThat(Units.ago(2_400_000_000L)).isEqualTo("2s");
    assertThat(Units.ago(0)).isEqualTo("now");
  }

  @Test
  void sparklineScalesToItsMaximumAndShowsTheNewestSamples() {
    assertThat(Units.sparkline(List.of(0.0, 1.0, 2.0, 4.0, 8.0), 4)).isEqualTo("▂▃▅█");
    assertThat(Units.sparkline(List.of(0.0, 0.0), 8)).isEqualTo("▁▁");
  }
}
