package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.ProbeStatus.State;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A program that cannot load, in an object loaded beside the real ones, leaves the real ones working. */
@ExtendWith(KernelTestSupport.class)
class MixedObjectsKernelTest {

  @Test
  @Timeout(60)
  void theRealProbesKeepWorkingBesideABrokenProgram() throws Exception {
    TestObjects.requireCommitted("process.bpf.o", "syscalls.bpf.o");
    ProbeConfig config = ProbeConfig.builder()
        .mechanisms(EnumSet.of(Mechanism.PIPE, Mechanism.FIFO, Mechanism.BENCH)).build();
    List<ProbeObject> objects = new ArrayList<>(ProbeObject.forConfig(
        ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.PIPE)).build()));
    objects.add(TestObjects.testProbe());
    try (ProbeSession s = ProbeSession.open(config, objects)) {
      assertThat(s.status()).filteredOn(p -> p.program().equals("fentry__bogus"))
          .singleElement().satisfies(p -> {
            assertThat(p.state()).isEqualTo(State.LOAD_FAILED);
            assertThat(p.reason()).isNotBlank();
          });
      assertThat(s.status()).filteredOn(p -> !p.program().equals("fentry__bogus"))
          .allSatisfy(p -> assertThat(p.ok()).as("%s", p).isTrue());
      List<IpcEvent> events = Tracing.whileRunning(s, "sh", "-c", "head -c 5000 /dev/zero | cat >/dev/null");
      assertThat(events).filteredOn(e -> e.op() == Operation.WRITE && e.comm().equals("head"))
          .extracting(IpcEvent::bytes).containsOnly(4096L, 904L);
      // the stand-in shares the real objects' ring: its bench records arrive through the same consumer
      assertThat(s.runBench(1000, true, e -> {}).delivered()).isGreaterThanOrEqualTo(1000);
    }
  }
}
