package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The POSIX queue facade on real queues (no root needed). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PosixQueueTest {

  private static final String NAME = "/ipcscope-test-" + ProcessHandle.current().pid();

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void highestPriorityFirstThenInSendOrder() throws Exception {
    try (PosixQueue.Created created = PosixQueue.create(NAME, 10, 8);
        PosixQueue out = PosixQueue.open(NAME, Libc.O_WRONLY);
        PosixQueue in = PosixQueue.open(NAME, Libc.O_RDONLY)) {
      out.send(text("a"), 0);
      out.send(text("bb"), 5);
      out.send(text("ccc"), 9);
      out.send(text("dddd"), 5);
      assertThat(in.waiting()).isEqualTo(4);

      List<String> got = new ArrayList<>();
      byte[] buffer = new byte[8];
      for (int i = 0; i < 4; i++) {
        PosixQueue.Message m = in.receive(buffer);
        got.add(new String(Arrays.copyOf(buffer, m.length()), StandardCharsets.US_ASCII) + "/" + m.priority());
      }

      assertThat(got).containsExactly("ccc/9", "bb/5", "dddd/5", "a/0");
      assertThat(in.waiting()).isZero();
    }
  }

  @Test
  void closingTheCreatorUnlinksOnce() throws Exception {
    PosixQueue.Created created = PosixQueue.create(NAME, 3, 16);
    assertThat(MessageQueues.posixExists(NAME)).isTrue();

    created.close();
    created.close();

    assertThat(MessageQueues.posixExists(NAME)).isFalse();
    assertThatThrownBy(() -> PosixQueue.open(NAME, Libc.O_RDONLY))
        .hasMessage("mq_open " + NAME + ": ENOENT (No such file or directory)");
  }

  @Test
  void anExistingQueueSaysHowToRemoveIt() {
    try (PosixQueue.Created created = PosixQueue.create(NAME, 3, 16)) {
      assertThatThrownBy(() -> PosixQueue.create(NAME, 3, 16))
          .isInstanceOf(ErrnoException.class)
          .hasMessageStartingWith("mq_open " + NAME + " (3 messages of 16 bytes): EEXIST (File exists); left by a killed demo?")
          .hasMessageEndingWith("remove it with: ipcscope demo --cleanup");
    }
  }

  @Test
  void aBufferSmallerThanTheMessageSizeFails() {
    try (PosixQueue.Created created = PosixQueue.create(NAME, 3, 16);
        PosixQueue in = PosixQueue.open(NAME, Libc.O_RDONLY)) {
      assertThatThrownBy(() -> in.receive(new byte[8]))
          .isInstanceOf(ErrnoException.class)
          .hasMessage("mq_receive " + NAME + ": EMSGSIZE (Message too long)");
    }
  }
}
