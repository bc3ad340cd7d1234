package io.ipcscope.cli.collect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipcscope.cli.Ipcscope;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code collect --replay} of a real recording (collector's fixture of {@code demo pipe --messages 5}) writes OTLP
 * JSON lines: the same spans each time, and each of the demo's messages a producer span of the parent with the
 * child's consumer span as its child.
 */
class CollectReplayTest {

  private static final Path RECORDING = Path.of("../collector/src/test/resources/recordings/demo-pipe.bin");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private record Span(String service, long pid, String name, int kind, String traceId, String spanId, String parent,
      Map<String, String> attributes) {}

  private Path replay(String name) {
    Path out = dir.resolve(name);
    var cmd = Ipcscope.commandLine();
    cmd.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(cmd.execute("collect", "--replay", RECORDING.toString(), "--exporter", "file", "-o", out.toString()))
        .isZero();
    return out;
  }

  private static List<Span> spans(Path file) throws Exception {
    List<Span> spans = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      for (JsonNode rs : JSON.readTree(line).path("resourceSpans")) {
        Map<String, String> resource = attributes(rs.path("resource").path("attributes"));
        for (JsonNode ss : rs.path("scopeSpans")) {
          for (JsonNode s : ss.path("spans")) {
            spans.add(new Span(resource.get("service.name"), Long.parseLong(resource.get("process.pid")),
                s.path("name").asText(), s.path("kind").asInt(), s.path("traceId").asText(), s.path("spanId").asText(),
                s.path("parentSpanId").asText(), attributes(s.path("attributes"))));
          }
        }
      }
    }
    return spans;
  }

  private static Map<String, String> attributes(JsonNode list) {
    Map<String, String> map = new HashMap<>();
    for (JsonNode a : list) {
      JsonNode value = a.path("value");
      map.put(a.path("key").asText(), value.elements().next().asText());
    }
    return map;
  }

  @Test
  void twoReplaysWriteTheSameSpans() throws Exception {
    // the same spans with the same ids; the order of resources within a request is the exporter's own
    List<Span> first = spans(replay("a.jsonl"));
    List<Span> second = spans(replay("b.jsonl"));
    assertThat(first).hasSizeGreaterThan(30);
    assertThat(second).containsExactlyInAnyOrderElementsOf(first);
  }

  @Test
  void eachMessageOfTheParentIsReadByTheChildInTheSameTrace() throws Exception {
    List<Span> spans = spans(replay("spans.jsonl"));
    Map<String, Span> byId = new HashMap<>();
    spans.forEach(s -> byId.put(s.spanId(), s));
    List<String> hops = new ArrayList<>();
    for (Span read : spans) {
      Span write = byId.get(read.parent());
      if (read.pid() == 18208 && read.kind() == 5 && write != null && write.pid() == 18190 && write.kind() == 4) {
        assertThat(read.traceId()).isEqualTo(write.traceId());
        hops.add(write.attributes().get("messaging.message.body.size") + ">"
            + read.attributes().get("messaging.message.body.size") + " " + read.attributes().get("ipc.pairing"));
      }
    }
    assertThat(hops).containsExactly("64>64 exact", "64>64 exact", "64>64 exact", "64>64 exact", "64>64 exact");
    Span headWrite = spans.stream().filter(s -> s.pid() == 18211 && s.kind() == 4).findFirst().orElseThrow();
    assertThat(headWrite.service()).isEqualTo("head");
    assertThat(headWrite.name()).isEqualTo("write pipe:[1225871]");
    assertThat(headWrite.attributes()).containsEntry("ipc.peer.comm", "cat").containsEntry("ipc.peer.pid", "18213")
        .containsEntry("messaging.message.body.size", "320").containsEntry("ipc.backlog_bytes", "320");
  }
}
