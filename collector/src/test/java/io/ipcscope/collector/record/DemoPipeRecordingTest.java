package io.ipcscope.collector.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A real recording: {@code ipcscope trace --json -w demo-pipe.bin -- ./ipcscope demo pipe --messages 5 --rate 100},
 * as root on a 6.1 kernel. The demo's parent (pid 18190, the launcher script exec'ing java) and child (18208)
 * exchange five 64-byte messages each way over two pipes; head (18211) writes 320 bytes into a pipe cat (18213)
 * reads.
 */
class DemoPipeRecordingTest {

  private static final Path RECORDING = Path.of("src/test/resources/recordings/demo-pipe.bin");
  private static final int PARENT = 18190;
  private static final int CHILD = 18208;
  private static final int HEAD = 18211;
  private static final int CAT = 18213;

  @Test
  void replayNamesBothEndsOfEveryPipeTransferOfTheDemo() throws Exception {
    List<ResolvedEvent> events = new ArrayList<>();
    ReplayResult result = Replay.run(RECORDING, 200_000_000L, events::add);

    assertThat(result.error()).isEmpty();
    assertThat(result.lostEvents()).isZero();
    assertThat(result.events()).isEqualTo(events.size());
    assertThat(result.header().peerWaitNanos()).isEqualTo(200_000_000L);

    assertThat(transfers(events, HEAD, Operation.WRITE)).containsExactly("head>cat 320");
    assertThat(transfers(events, CAT, Operation.READ)).containsExactly("cat<head 320", "cat<head 0");
    assertThat(transfers(events, CHILD, Operation.WRITE)).containsExactly(
        "java>java 64", "java>java 64", "java>java 64", "java>java 64", "java>java 64");
    assertThat(transfers(events, CHILD, Operation.READ)).containsExactly(
        "java<java 64", "java<java 64", "java<java 64", "java<java 64", "java<java 64", "java<java 0");
    assertThat(events).filteredOn(r -> r.event().pid() == CHILD && r.event().mechanism() == Mechanism.PIPE)
        .allSatisfy(r -> assertThat(r.peerPid()).isEqualTo(PARENT));
    assertThat(events).filteredOn(r -> r.event().pid() == HEAD || r.event().pid() == CAT)
        .filteredOn(r -> r.event().mechanism() == Mechanism.PIPE)
        .extracting(r -> r.channel().display()).containsOnly("pipe:[1225871]");

    assertThat(result.driver().processes().get(HEAD)).map(ProcessInfo::comm).contains("head");
    assertThat(result.driver().processes().get(CAT)).map(ProcessInfo::exe).contains("/usr/bin/cat");
    assertThat(events).filteredOn(r -> r.event().mechanism() == Mechanism.PROCESS && r.event().op() == Operation.FORK
        && r.event().pid() == PARENT).extracting(ResolvedEvent::peerPid).containsExactly(18191, CHILD, HEAD, CAT); // 18191: the launcher's $(dirname ...)
  }

  @Test
  void twoReplaysOfTheRecordingAreIdentical() throws Exception {
    List<ResolvedEvent> first = new ArrayList<>();
    List<ResolvedEvent> second = new ArrayList<>();
    Replay.run(RECORDING, 200_000_000L, first::add);
    Replay.run(RECORDING, 200_000_000L, second::add);
    assertThat(first).isNotEmpty().isEqualTo(second);
  }

  /** "head>cat 320": actor, direction, peer, bytes of each pipe transfer of {@code pid}. */
  private static List<String> transfers(List<ResolvedEvent> events, int pid, Operation op) {
    return events.stream()
        .filter(r -> r.event().pid() == pid && r.event().mechanism() == Mechanism.PIPE && r.event().op() == op)
        .map(r -> r.comm() + (op == Operation.WRITE ? ">" : "<") + r.peerComm() + " " + r.event().bytes())
        .toList();
  }

}
