package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** syscalls.bpf.o sees a shell pipeline's bytes, exactly, on one pipe inode. */
@ExtendWith(KernelTestSupport.class)
class PipeKernelTest {

  @BeforeEach
  void objectsCommitted() {
    TestObjects.requireCommitted("process.bpf.o", "syscalls.bpf.o");
  }

  @Test
  @Timeout(60)
  void headToCatThroughAPipeIsSeenByteForByte() throws Exception {
    ProbeConfig config = ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.PIPE, Mechanism.FIFO)).build();
    try (ProbeSession s = ProbeSession.open(config)) {
      List<IpcEvent> events =
          Tracing.ofTree(s, "sh", "-c", "head -c 100000 /dev/zero | cat >/dev/null");
      List<IpcEvent> writes = events.stream()
          .filter(e -> e.mechanism() == Mechanism.PIPE && e.op() == Operation.WRITE && e.comm().equals("head"))
          .collect(Collectors.toList());
      assertThat(writes).as("head's pipe writes among %d events", events.size()).isNotEmpty();
      long channel = writes.get(0).channelId();
      assertThat(channel).isPositive();
      assertThat(writes).allSatisfy(e -> {
        assertThat(e.channelId()).isEqualTo(channel);
        assertThat(e.fd()).isEqualTo(1);
        assertThat(e.result()).isEqualTo((int) e.bytes());
        assertThat(e.pid()).isPositive();
        assertThat(e.startNanos()).isPositive();
      });
      assertThat(writes.stream().mapToLong(IpcEvent::bytes).sum()).isEqualTo(100_000);
      // head writes whole pages (4096, sometimes 8192 bytes) and the remainder last
      assertThat(writes.subList(0, writes.size() - 1))
          .allSatisfy(e -> assertThat(e.bytes() % 4096).as("%s", e).isZero());
      assertThat(writes.get(writes.size() - 1).bytes()).isEqualTo(100_000 % 4096);
      assertThat(writes).isSortedAccordingTo(java.util.Comparator.comparingLong(IpcEvent::tsNanos));

      List<IpcEvent> reads = events.stream()
          .filter(e -> e.mechanism() == Mechanism.PIPE && e.op() == Operation.READ && e.comm().equals("cat"))
          .collect(Collectors.toList());
      assertThat(reads).isNotEmpty().allSatisfy(e -> {
        assertThat(e.channelId()).isEqualTo(channel);
        assertThat(e.fd()).isZero();
      });
      assertThat(reads.stream().mapToLong(IpcEvent::bytes).sum()).isEqualTo(100_000);
      assertThat(reads.get(0).pid()).isNotEqualTo(writes.get(0).pid());
      assertThat(s.drops()).isZero();
      assertThat(s.unknownRecords()).isZero();
    }
  }
}
