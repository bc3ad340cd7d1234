package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.Mechanism;
import java.util.EnumSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The committed probe objects load together and every program attaches (or, for bench, loads). */
@ExtendWith(KernelTestSupport.class)
class AllProbesKernelTest {

  @BeforeEach
  void objectsCommitted() {
    TestObjects.requireCommitted("process.bpf.o", "syscalls.bpf.o", "signal.bpf.o", "bench.bpf.o");
  }

  @Test
  @Timeout(120)
  void everyProgramOfEveryObjectAttaches() {
    EnumSet<Mechanism> all = EnumSet.copyOf(ProbeConfig.defaultMechanisms());
    all.add(Mechanism.BENCH);
    try (ProbeSession s = ProbeSession.open(ProbeConfig.builder().mechanisms(all).build())) {
      s.status().forEach(System.out::println);
      assertThat(s.status()).isNotEmpty().allSatisfy(p -> assertThat(p.ok()).as(p.toString()).isTrue());
      assertThat(s.status()).extracting(ProbeStatus::object)
          .contains("process.bpf.o", "syscalls.bpf.o", "signal.bpf.o", "bench.bpf.o");
      assertThat(s.status()).filteredOn(p -> p.object().equals("bench.bpf.o"))
          .allSatisfy(p -> assertThat(p.state()).isEqualTo(ProbeStatus.State.LOADED));
      assertThat(s.benchAvailable()).isTrue();
    }
  }

  @Test
  @Timeout(120)
  void aSessionWithOnlyProcessLoadsOnlyProcess() {
    try (ProbeSession s = ProbeSession.open(
        ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.PROCESS)).build())) {
      assertThat(s.status()).extracting(ProbeStatus::object).containsOnly("process.bpf.o");
      assertThat(s.status()).allSatisfy(p -> assertThat(p.attached()).as(p.toString()).isTrue());
    }
  }
}
