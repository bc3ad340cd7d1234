package io.ipcscope.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FileOpsTest {

  @Test
  void aLockToTheEndOfTheFileEndsAtEofAsTheKernelSaysIt() {
    assertThat(FileOps.rangeEnd(0, Long.MAX_VALUE)).isEqualTo("eof");
    assertThat(FileOps.rangeEnd(200, 50)).isEqualTo("249");
    assertThat(FileOps.rangeEnd(0, 1)).isEqualTo("0");
  }
}
