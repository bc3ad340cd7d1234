package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.GroundTruthJson;
import io.ipcscope.demo.truth.TruthSignal;
import io.ipcscope.probes.KernelTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipcscope graph --format json -- ipcscope demo signal} under the real probes: the graph's {@code signals}
 * hold, per sender, target and signal, exactly the sends and deliveries the demo's ground truth counts.
 */
@ExtendWith(KernelTestSupport.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SignalFlowsKernelTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ROUNDS = 20;

  @TempDir Path dir;

  @Test
  void theSignalDemosCountsPerSignalAreInTheGraphsSignalFlows() throws Exception {
    Path truthFile = dir.resolve("signal.truth.json");
    Path graphFile = dir.resolve("graph.json");
    List<String> cmd = new ArrayList<>(CliProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
    cmd.addAll(List.of("graph", "--no-socket", "--format", "json", "-o", graphFile.toString(), "--"));
    cmd.addAll(CliProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
    cmd.addAll(List.of("demo", "signal", "--messages", Integer.toString(ROUNDS), "--truth", truthFile.toString(),
        "--quiet"));
    Process graph = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    assertThat(graph.waitFor(100, TimeUnit.SECONDS)).as("graph -- demo signal ends").isTrue();
    assertThat(graph.exitValue()).as("graph's exit code").isZero();

    GroundTruth truth = GroundTruthJson.read(truthFile);
    long sender = truth.pid("sender");
    long receiver = truth.pid("receiver");
    // sigqueue's SIGUSR1 is its own truth row beside kill's: a flow counts both
    Map<String, Long> expected = new TreeMap<>();
    for (TruthSignal s : truth.signals()) {
      expected.merge(s.senderPid() + ">" + s.targetPid() + " " + s.signal(), s.count(), Long::sum);
    }
    assertThat(expected).containsEntry(sender + ">" + receiver + " SIGUSR1", (long) ROUNDS + 1)
        .containsEntry(receiver + ">" + sender + " SIGUSR2", (long) ROUNDS + 1)
        .containsEntry(sender + ">" + receiver + " SIGTERM", 1L);

    Map<String, JsonNode> flows = flows(JSON.readTree(Files.readString(graphFile)));
    Map<String, Long> betweenTheTwo = new TreeMap<>();
    flows.forEach((key, f) -> {
      if (key.startsWith(sender + ">" + receiver + " ") || key.startsWith(receiver + ">" + sender + " ")) {
        betweenTheTwo.put(key, f.path("sent").asLong());
      }
    });
    assertThat(betweenTheTwo).as("every signal between sender and receiver, sent").isEqualTo(Map.of(
        sender + ">" + receiver + " SIGUSR1", (long) ROUNDS + 1,
        receiver + ">" + sender + " SIGUSR2", (long) ROUNDS + 1,
        sender + ">" + receiver + " SIGTERM", 1L));

    expected.forEach((key, count) -> {
      JsonNode f = flows.get(key);
      assertThat(f).as("a signal flow %s", key).isNotNull();
      assertThat(f.path("sent").asLong()).as("%s sent", key).isEqualTo(count);
      assertThat(f.path("merged").asLong()).as("%s merged", key).isZero();
      assertThat(f.path("failed").asLong()).as("%s failed", key).isZero();
      if (key.endsWith(" SIGCHLD")) {
        // the demo's parent does not handle SIGCHLD: discarded at once, or queued and taken by default
        assertThat(f.path("ignored").asLong() + f.path("delivered").asLong()).as("%s ignored or taken", key)
            .isEqualTo(count);
      } else {
        // the workload waits for each answer, so every signal is queued on its own and its handler runs
        assertThat(f.path("queued").asLong()).as("%s queued", key).isEqualTo(count);
        assertThat(f.path("ignored").asLong()).as("%s ignored", key).isZero();
        assertThat(f.path("delivered").asLong()).as("%s delivered", key).isEqualTo(count);
        assertThat(f.path("latency_count").asLong()).as("%s deliveries paired with their send", key)
            .isEqualTo(count);
        assertThat(f.path("latency_mean_ns").asLong()).as("%s mean latency", key).isPositive()
            .isLessThanOrEqualTo(f.path("latency_max_ns").asLong());
      }
    });
  }

  /** The graph's signal flows by "senderPid>targetPid NAME"; each names nodes the graph lists. */
  private static Map<String, JsonNode> flows(JsonNode graph) {
    Map<String, Integer> pids = new HashMap<>();
    graph.path("nodes").forEach(n -> pids.put(n.path("id").asText(), n.path("pid").asInt()));
    Map<String, JsonNode> flows = new HashMap<>();
    for (JsonNode f : graph.path("signals")) {
      assertThat(pids).as("nodes").containsKeys(f.path("from").asText(), f.path("to").asText());
      flows.put(pids.get(f.path("from").asText()) + ">" + pids.get(f.path("to").asText()) + " "
          + f.path("name").asText(), f);
    }
    return flows;
  }
}
