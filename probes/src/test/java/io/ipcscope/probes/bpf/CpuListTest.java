package io.ipcscope.probes.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuListTest {

  @Test
  void kernelCpuListsAreExpanded() {
    assertThat(Libbpf.parseCpuList("0")).containsExactly(0);
    assertThat(Libbpf.parseCpuList("0-1")).containsExactly(0, 1);
    assertThat(Libbpf.parseCpuList("0-2,5,7-8\n".trim())).containsExactly(0, 1, 2, 5, 7, 8);
  }
}
