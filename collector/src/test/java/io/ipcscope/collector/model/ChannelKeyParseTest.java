package io.ipcscope.collector.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.Mechanism;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelKeyParseTest {

  @Test
  void everyDisplayFormReadsBackAsTheSameChannel() {
    List<ChannelKey> keys = List.of(ChannelKey.pipe(52139), ChannelKey.fifo(254 << 20 | 1, 77),
        ChannelKey.lockedFile(8 << 20 | 3, 12), ChannelKey.posixShm(0 << 20 | 26, 5), ChannelKey.unixSocket(1693426),
        ChannelKey.inetFlow(Mechanism.TCP, 0x7f000001L << 16 | 40000, 0x7f000001L << 16 | 8080),
        ChannelKey.inetFlow(Mechanism.UDP, 1L << 48 | 5353, 1L << 48 | 53),
        ChannelKey.sysvQueue(0, 425994), ChannelKey.posixQueue(0, 9), ChannelKey.sysvShm(0, 3),
        ChannelKey.semaphoreSet(0, 4));
    for (ChannelKey key : keys) {
      assertThat(ChannelKey.parse(key.display())).as(key.display()).contains(key);
    }
  }

  @Test
  void textThatIsNotAChannelIsEmpty() {
    assertThat(ChannelKey.parse("pipe")).isEmpty();
    assertThat(ChannelKey.parse("pipe:[x]")).isEmpty();
    assertThat(ChannelKey.parse("nonsense:[3]")).isEmpty();
  }
}
