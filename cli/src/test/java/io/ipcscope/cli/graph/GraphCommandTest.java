package io.ipcscope.cli.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipcscope.cli.Ipcscope;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code graph --replay} of a real recording (collector's fixture: {@code demo pipe --messages 5}, in which the
 * demo's parent 18190 and child 18208 exchange five 64-byte messages each way, and head 18211 pipes 320 bytes to
 * cat 18213).
 */
class GraphCommandTest {

  static final Path RECORDING = Path.of("../collector/src/test/resources/recordings/demo-pipe.bin");

  @TempDir Path dir;

  private int run(String... args) {
    var cmd = Ipcscope.commandLine();
    cmd.setErr(new PrintWriter(new StringWriter(), true));
    return cmd.execute(args);
  }

  /** "from>to mechanism bytes/ops" for every pipe edge between the demo's processes. */
  private static List<String> pipeEdges(JsonNode graph) {
    List<String> edges = new ArrayList<>();
    for (JsonNode e : graph.path("edges")) {
      String from = e.path("from").asText();
      String to = e.path("to").asText();
      if (e.path("mechanism").asText().equals("pipe") && from.matches("18(190|208|211)@.*")) {
        edges.add(from.substring(0, 5) + ">" + to.substring(0, 5) + " " + e.path("bytes").asLong() + "B/"
            + e.path("messages").asLong());
      }
    }
    return edges;
  }

  @Test
  void theJsonGraphOfTheDemoHasItsThreePipesWithExactBytes() throws Exception {
    Path out = dir.resolve("graph.json");
    assertThat(run("graph", "--replay", RECORDING.toString(), "-o", out.toString())).isZero();

    JsonNode graph = new ObjectMapper().readTree(out.toFile());
    // 18003 is the tail the recording's tracer wrote to: the demo's parent writes its two lines of output there
    assertThat(pipeEdges(graph)).containsExactly("18190>18003 142B/2", "18190>18208 320B/5", "18208>18190 320B/5",
        "18211>18213 320B/1");
    JsonNode head = null;
    for (JsonNode n : graph.path("nodes")) {
      if (n.path("pid").asInt() == 18211) {
        head = n;
      }
    }
    assertThat(head).isNotNull();
    assertThat(head.path("comm").asText()).isEqualTo("head");
    assertThat(head.path("ppid").asInt()).isEqualTo(18190);
  }

  @Test
  void dotAndMermaidNameTheSameEdges() throws Exception {
    Path dot = dir.resolve("g.dot");
    Path mermaid = dir.resolve("g.mmd");
    assertThat(run("graph", "--replay", RECORDING.toString(), "--format", "dot", "-o", dot.toString())).isZero();
    assertThat(run("graph", "--replay", RECORDING.toString(), "--format", "mermaid", "-o", mermaid.toString()))
        .isZero();
    assertThat(Files.readString(dot)).contains("\"p18211@2518287\" -> \"p18213@2518289\" [label=\"pipe [1225871]\\n1 op, 320 B\"];");
    assertThat(Files.readString(mermaid)).contains("p18211_2518287 -->|\"pipe [1225871]<br/>1 op, 320 B\"| p18213_2518289");
  }

  @Test
  void anUnknownFormatIsAOneLineError() {
    StringWriter err = new StringWriter();
    var cmd = Ipcscope.commandLine();
    cmd.setErr(new PrintWriter(err, true));
    assertThat(cmd.execute("graph", "--replay", RECORDING.toString(), "--format", "gif")).isEqualTo(2);
  }
}
