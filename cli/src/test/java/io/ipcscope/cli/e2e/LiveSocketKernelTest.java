package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipcscope.cli.CliRun;
import io.ipcscope.probes.KernelTestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code ipcscope collect} serving its live socket: {@code status} and {@code graph --socket} see a shell
 * pipeline within seconds, a second collector on the same socket is refused, and SIGTERM removes the socket.
 */
@ExtendWith(KernelTestSupport.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveSocketKernelTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void statusAndGraphShowAPipelineLiveAndSigtermRemovesTheSocket() throws Exception {
    Path socket = dir.resolve("run/collector.sock");
    try (CollectorProcess collect = CollectorProcess.start(dir, Map.of(), "--socket", socket.toString(), "-o",
        dir.resolve("spans.jsonl").toString())) {
      assertThat(collect.stderr()).contains("live at " + socket);
      assertThat(socket).exists();
      assertThat(Files.getPosixFilePermissions(socket)).hasSize(2); // rw-------

      Process pipeline = new ProcessBuilder("sh", "-c", "head -c 1000 /dev/zero | cat > /dev/null")
          .redirectErrorStream(true).start();
      assertThat(pipeline.waitFor(10, TimeUnit.SECONDS)).isTrue();

      JsonNode snapshot = await(() -> {
        CliRun status = CliRun.of("status", "--socket", socket.toString(), "--json");
        assertThat(status.exitCode()).as(status.err()).isZero();
        return read(status.out());
      }, s -> headToCat(s.path("graph")).isPresent(), "status --json: an edge head -> cat over a pipe, 1000 bytes");
      assertThat(snapshot.path("type").asText()).isEqualTo("snapshot");
      assertThat(snapshot.path("health").path("events").asLong()).isPositive();

      CliRun human = CliRun.of("status", "--socket", socket.toString());
      assertThat(human.exitCode()).as(human.err()).isZero();
      assertThat(human.out()).contains("collector").contains("events").contains("spans")
          .containsPattern("head\\[\\d+\\]\\s+->\\s+cat\\[\\d+\\]\\s+pipe\\s+pipe:\\[\\d+\\]\\s+1000\\s+\\d+");

      Path graphJson = dir.resolve("graph.json");
      CliRun graph = CliRun.of("graph", "--socket", socket.toString(), "--format", "json", "-o", graphJson.toString());
      assertThat(graph.exitCode()).as(graph.err()).isZero();
      assertThat(headToCat(read(Files.readString(graphJson)))).isPresent();

      Process second = new ProcessBuilder(collectCommand("--socket", socket.toString(), "--exporter", "none"))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(second.waitFor(20, TimeUnit.SECONDS)).as("a second collector on the same socket ends").isTrue();
      String secondErr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(second.exitValue()).isEqualTo(2);
      assertThat(secondErr).isEqualTo("ipcscope: another collector is running at " + socket
          + ": stop it, or give this one --socket another path or --no-socket");
      assertThat(socket).as("the first collector's socket is untouched").exists();

      collect.stop();
      assertThat(socket).as("SIGTERM removes the socket").doesNotExist();
    }
    CliRun none = CliRun.of("status", "--socket", socket.toString());
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err().strip()).isEqualTo("ipcscope: no collector at " + socket
        + ": start one with `sudo ipcscope collect` --socket " + socket);
  }

  private static List<String> collectCommand(String... args) {
    List<String> cmd = new ArrayList<>(TracerProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
    cmd.add("collect");
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  /** The edge from head to cat over a pipe that carried the 1000 bytes. */
  private static Optional<JsonNode> headToCat(JsonNode graph) {
    Map<String, String> comms = new HashMap<>();
    graph.path("nodes").forEach(n -> comms.put(n.path("id").asText(), n.path("comm").asText()));
    for (JsonNode e : graph.path("edges")) {
      if ("head".equals(comms.get(e.path("from").asText())) && "cat".equals(comms.get(e.path("to").asText()))
          && e.path("mechanism").asText().equals("pipe") && e.path("bytes").asLong() == 1000) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Asks again every 200 ms for up to 10 s: the collector publishes once a second. */
  private static JsonNode await(Supplier<JsonNode> ask, java.util.function.Predicate<JsonNode> done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = ask.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not within 10 s: " + what + "; last answer: " + last);
  }
}
