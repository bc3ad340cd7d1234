package io.ipcscope.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Picking operations out of what the collector stub received. */
final class Ops {

  private Ops() {}

  static List<JsonNode> of(List<JsonNode> ops, String operation) {
    return ops.stream().filter(o -> o.path("operation").asText().equals(operation)).toList();
  }

  static List<JsonNode> of(List<JsonNode> ops, String mechanism, String operation) {
    return ops.stream().filter(o -> o.path("mechanism").asText().equals(mechanism)
        && o.path("operation").asText().equals(operation)).toList();
  }

  /** The bytes a read took; 0 for anything else and for the end-of-stream read. */
  static long bytesRead(JsonNode op) {
    return op.path("operation").asText().equals("read") ? Math.max(0, op.path("bytes").asLong()) : 0;
  }
}
