package io.ipcscope.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PingPongBenchTest {

  @Test
  void ratiosPairEachRunWithTheUntracedRunOfItsRound() {
    // round 2 ran on a machine twice as slow: each traced run is still 1.1x its own round
    List<Double> untraced = List.of(100.0, 200.0, 100.0);
    List<Double> traced = List.of(110.0, 220.0, 110.0);
    assertThat(PingPongBench.pairedRatio(traced, untraced)).isEqualTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(PingPongBench.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(PingPongBench.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
  }

  @Test
  void transportsAreNamedLikeMechanisms() {
    PingPongBench.TransportConverter converter = new PingPongBench.TransportConverter();
    assertThat(converter.convert("sysv_mq")).isEqualTo(Transport.Kind.SYSV_MQ);
    assertThat(converter.convert("POSIX_MQ")).isEqualTo(Transport.Kind.POSIX_MQ);
    assertThat(Transport.Kind.SYSV_MQ.syscalls()).containsExactly("msgsnd", "msgrcv");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> converter.convert("tcp"))
        .hasMessage("unknown transport 'tcp': valid ones are pipe, sysv_mq, posix_mq");
  }
}
