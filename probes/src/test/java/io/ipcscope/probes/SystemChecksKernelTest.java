package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KernelTestSupport.class)
class SystemChecksKernelTest {

  @Test
  @Timeout(120)
  void everyCheckPassesOnAHostThatRunsKernelTests() {
    TestObjects.requireCommitted("process.bpf.o", "syscalls.bpf.o", "signal.bpf.o", "bench.bpf.o");
    List<Check> checks = SystemChecks.run();
    checks.forEach(c -> System.out.println((c.ok() ? "ok   " : "FAIL ") + c.name() + ": " + c.detail()));
    assertThat(checks).extracting(Check::name)
        .contains("architecture", "kernel", "kernel BTF", "privileges", "libbpf").doesNotContain("tracefs");
    assertThat(checks).filteredOn(c -> c.name().startsWith("probe ")).hasSizeGreaterThanOrEqualTo(11);
    assertThat(checks).allSatisfy(c -> assertThat(c.ok()).as("%s", c).isTrue());
  }

  @Test
  @Timeout(60)
  void aProgramThatCannotLoadIsAFailedCheckNotAnException() {
    ProbeConfig config = ProbeConfig.builder().mechanisms(java.util.EnumSet.of(
        io.ipcscope.probes.event.Mechanism.BENCH)).build();
    List<Check> checks = SystemChecks.probes(config, TestObjects.testProbeOnly());
    assertThat(checks).filteredOn(c -> !c.ok()).singleElement()
        .satisfies(c -> assertThat(c.name()).contains("fentry__bogus"));
  }
}
