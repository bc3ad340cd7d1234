package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.Mechanism;
import java.util.EnumSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** bench.bpf.o through the whole consumer: nothing lost with flow control, and the drain rate. */
@ExtendWith(KernelTestSupport.class)
class BenchKernelTest {
  private static final long EVENTS = Long.getLong("ipcscope.bench.events", 5_000_000L);

  @BeforeEach
  void objectsCommitted() {
    TestObjects.requireCommitted("process.bpf.o", "bench.bpf.o");
  }

  @Test
  @Timeout(300)
  void flowControlledBenchLosesNothing() {
    // runBench drains synchronously: no wakeups needed. wakeup_bytes = ring size means the flow-controlled bench
    // (stopping at half the ring) never forces one; each forced wakeup costs an interrupt per record.
    ProbeConfig config = ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.BENCH))
        .wakeupBytes(ProbeConfig.DEFAULT_RING_BYTES).build();
    try (ProbeSession s = ProbeSession.open(config)) {
      s.runBench(200_000, true, e -> {}); // warm up the JIT
      long[] bytes = new long[1];
      long[] benchEvents = new long[1];
      BenchResult r = s.runBench(EVENTS, true, e -> {
        if (e.mechanism() == Mechanism.BENCH) {
          benchEvents[0]++;
          bytes[0] += e.bytes();
        }
      });
      System.out.printf("bench %,d events: drain %,.0f events/s (consumer time %d ms), end to end %,.0f events/s,"
          + " drops %d%n", r.delivered(), r.drainEventsPerSecond(), r.drainNanos() / 1_000_000,
          r.endToEndEventsPerSecond(), r.drops());
      assertThat(r.emitted()).isEqualTo(EVENTS);
      assertThat(r.drops()).isZero();
      assertThat(benchEvents[0]).isEqualTo(EVENTS);
      assertThat(r.delivered()).isGreaterThanOrEqualTo(EVENTS);
      assertThat(s.unknownRecords()).isZero();
    }
  }
}
