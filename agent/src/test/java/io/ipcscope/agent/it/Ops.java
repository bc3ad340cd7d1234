package io.ipcscope.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;

/** Picking the agent's operation lines apart in tests. */
final class Ops {

  private Ops() {}

  static List<JsonNode> of(List<JsonNode> ops, String mechanism) {
    return ops.stream().filter(o -> o.path("mechanism").asText().equals(mechanism)).collect(Collectors.toList());
  }

  static List<JsonNode> of(List<JsonNode> ops, String mechanism, String operation) {
    return of(ops, mechanism).stream().filter(o -> o.path("operation").asText().equals(operation))
        .collect(Collectors.toList());
  }

  static String attribute(JsonNode op, String key) {
    JsonNode value = op.path("attributes").get(key);
    return value == null ? null : value.asText();
  }

  static List<JsonNode> ofOperation(List<JsonNode> ops, String operation) {
    return ops.stream().filter(o -> o.path("operation").asText().equals(operation)).collect(Collectors.toList());
  }

  /** The bytes a read took; 0 for anything else and for the end-of-stream read. */
  static long bytesRead(JsonNode op) {
    return op.path("operation").asText().equals("read") ? Math.max(0, op.path("bytes").asLong()) : 0;
  }
}
