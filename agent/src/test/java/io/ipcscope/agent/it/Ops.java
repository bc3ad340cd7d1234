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
}
