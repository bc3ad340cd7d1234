package io.ipcscope.agent.it;

import static io.ipcscope.agent.it.Ops.attribute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.ipcscope.agent.target.Signals;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** sun.misc.Signal: the handler installed, the raise, and both deliveries (raised and from kill) on their threads. */
@Timeout(120)
class SignalIT {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void handleRaiseAndEachDeliveryAreReported(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result run = TargetJvm.run(jdk, "socket=" + collector.path(), Map.of(), Signals.class);

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.value("kill")).isEqualTo("0");
      long pid = Long.parseLong(run.value("pid"));
      long main = Long.parseLong(run.value("main"));
      long dispatcher = Long.parseLong(run.value("dispatcher"));

      assertThat(Ops.of(collector.lines("op"), "signal"))
          .extracting(o -> o.path("operation").asText(), o -> attribute(o, "ipc.signal"),
              o -> o.path("peer_pid").asLong(), o -> o.path("tid").asLong(), o -> o.path("channel").asText(),
              o -> o.path("bytes").asLong())
          .containsExactlyInAnyOrder(
              tuple("handle", "SIGUSR2", 0L, main, "", -1L),
              tuple("raise", "SIGUSR2", pid, main, "", -1L),
              tuple("deliver", "SIGUSR2", 0L, dispatcher, "", -1L),
              tuple("deliver", "SIGUSR2", 0L, dispatcher, "", -1L));
    }
  }
}
