package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.ProbeStatus.State;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The session machinery (load, fallback, maps, ring consumer, bench) against the stand-in src/test/bpf object. */
@ExtendWith(KernelTestSupport.class)
class ProbeSessionKernelTest {

  private static ProbeConfig config() {
    return ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.BENCH, Mechanism.SIGNAL)).ringBytes(1 << 20).build();
  }

  @Test
  @Timeout(60)
  void programThatCannotLoadIsReportedAndTheOthersWork() {
    try (ProbeSession s = ProbeSession.open(config(), TestObjects.testProbeOnly())) {
      s.status().forEach(System.out::println);
      assertThat(s.status()).extracting(ProbeStatus::program, ProbeStatus::state)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("bench_emit", State.LOADED),
              org.assertj.core.groups.Tuple.tuple("tp_btf__sys_enter", State.ATTACHED),
              org.assertj.core.groups.Tuple.tuple("fentry__bogus", State.LOAD_FAILED));
      ProbeStatus bogus = s.status().stream().filter(p -> p.program().equals("fentry__bogus")).findFirst().get();
      assertThat(bogus.reason()).as("reason of %s", bogus).isNotBlank();
      assertThat(bogus.section()).isEqualTo("fentry/ipcscope_no_such_function");
      BenchResult r = s.runBench(10_000, true, e -> {});
      assertThat(r.delivered()).isEqualTo(10_000);
    }
  }

  @Test
  @Timeout(120)
  void benchWithFlowControlDeliversEveryEventAndDropsNone() {
    try (ProbeSession s = ProbeSession.open(config(), TestObjects.testProbeOnly())) {
      long[] seen = new long[1];
      List<IpcEvent> first = new ArrayList<>();
      BenchResult r = s.runBench(2_000_000, true, e -> {
        if (first.isEmpty()) {
          first.add(e);
        }
        seen[0]++;
      });
      assertThat(r.emitted()).isEqualTo(2_000_000);
      assertThat(r.delivered()).isEqualTo(2_000_000);
      assertThat(seen[0]).isEqualTo(2_000_000);
      assertThat(r.drops()).isZero();
      assertThat(s.drops()).isZero();
      assertThat(s.unknownRecords()).isZero();
      IpcEvent e = first.get(0);
      assertThat(e.mechanism()).isEqualTo(Mechanism.BENCH);
      assertThat(e.op()).isEqualTo(Operation.WRITE);
      assertThat(e.comm()).isEqualTo("bench");
      assertThat(e.pid()).isEqualTo(4242);
      assertThat(e.fd()).isEqualTo(-1);
    }
  }

  @Test
  @Timeout(120)
  void withoutFlowControlAFullRingCountsDrops() {
    try (ProbeSession s = ProbeSession.open(config(), TestObjects.testProbeOnly())) {
      // 1 MiB ring holds ~9000 records; one run of 100000 must overflow it.
      BenchResult r = s.runBench(100_000, false, e -> {});
      assertThat(r.drops()).isPositive();
      assertThat(s.drops()).isEqualTo(r.drops());
      assertThat(r.delivered()).isEqualTo(r.emitted());
    }
  }

  @Test
  @Timeout(60)
  void aggregatesReadTheHashMap() throws Exception {
    try (ProbeSession s = ProbeSession.open(config(), TestObjects.testProbeOnly())) {
      Process sleep = new ProcessBuilder("sleep", "30").start();
      try {
        Process kill = new ProcessBuilder("sh", "-c", "kill -USR1 " + sleep.pid() + "; kill -USR1 " + sleep.pid())
            .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Map<AggKey, AggValue> agg = s.aggregates();
        assertThat(agg).anySatisfy((k, v) -> {
          assertThat(k.peerPid()).isEqualTo((int) sleep.pid());
          assertThat(k.pid()).isEqualTo((int) kill.pid());
          assertThat(k.mechanism()).isEqualTo(Mechanism.SIGNAL);
          assertThat(k.op()).isEqualTo(Operation.SEND);
          assertThat(k.aux()).isEqualTo(10);
          assertThat(v.count()).isEqualTo(2);
        });
      } finally {
        sleep.destroyForcibly();
      }
    }
  }

  @Test
  @Timeout(60)
  void pollSleepsUpToTheTimeoutWhenEmptyAndCloseIsIdempotent() {
    ProbeSession s = ProbeSession.open(config(), TestObjects.testProbeOnly());
    long t0 = System.nanoTime();
    assertThat(s.poll(e -> {}, 200)).isZero();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms).isBetween(150L, 5_000L);
    s.close();
    s.close();
    assertThat(s.poll(e -> {}, 100)).isZero();
  }
}
