package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** signal.bpf.o sees kill(2): sender and target. */
@ExtendWith(KernelTestSupport.class)
class SignalKernelTest {
  private static final int SIGUSR1 = 10;

  @BeforeEach
  void objectsCommitted() {
    TestObjects.requireCommitted("process.bpf.o", "signal.bpf.o");
  }

  @Test
  @Timeout(60)
  void killUsr1ToASleepIsASendWithBothPids() throws Exception {
    ProbeConfig config = ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.SIGNAL)).build();
    try (ProbeSession s = ProbeSession.open(config)) {
      Process sleep = new ProcessBuilder("sleep", "30").start();
      List<IpcEvent> events = new ArrayList<>();
      try {
        Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(sleep.pid())).start();
        while (kill.isAlive()) {
          s.poll(events::add, 20);
        }
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(sleep.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Tracing.drainFor(s, events, 200);
        List<IpcEvent> sends = events.stream()
            .filter(e -> e.mechanism() == Mechanism.SIGNAL && e.op() == Operation.SEND && e.aux() == SIGUSR1
                && e.peerPid() == sleep.pid())
            .toList();
        assertThat(sends).as("SIGUSR1 sends to %d among %s", sleep.pid(), events).hasSize(1);
        IpcEvent send = sends.get(0);
        assertThat(send.pid()).isEqualTo((int) kill.pid());
        assertThat(send.result()).isZero();
        assertThat(send.comm()).isEqualTo("kill");
        assertThat(send.syscallNr()).isEqualTo(62);
        // No OP_DELIVER here: a fatal default action takes the kernel's group-exit shortcut, which skips
        // the signal_deliver tracepoint.
      } finally {
        sleep.destroyForcibly();
      }
    }
  }
}
