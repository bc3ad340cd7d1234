package io.ipcscope.collector.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One request line from a client: {@code {"request":"snapshot"}} (optionally {@code "events_after":SEQ}) or
 * {@code {"request":"watch","interval_ms":N}}.
 *
 * @param intervalMillis for a watch, the least time between two updates; 0 means every publication
 * @param eventsAfter for a snapshot, the recent operations wanted: those numbered after this; -1 for none
 */
record Request(Kind kind, long intervalMillis, long eventsAfter) {

  enum Kind { SNAPSHOT, WATCH }

  static final long MAX_INTERVAL_MILLIS = 3_600_000;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The request a line asks for; {@link BadRequest} says, in words a script author can act on, what is wrong. */
  static Request parse(String line) throws BadRequest {
    JsonNode json;
    try {
      json = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new BadRequest("not JSON: send one object per line, like {\"request\":\"snapshot\"}");
    }
    if (json == null || !json.isObject()) {
      throw new BadRequest("a request is a JSON object, like {\"request\":\"snapshot\"}");
    }
    String kind = json.path("request").asText("");
    return switch (kind) {
      case "snapshot" -> new Request(Kind.SNAPSHOT, 0, eventsAfter(json.get("events_after")));
      case "watch" -> new Request(Kind.WATCH, interval(json.get("interval_ms")), -1);
      default -> throw new BadRequest("unknown request \"" + kind + "\": ask for \"snapshot\" or \"watch\"");
    };
  }

  private static long interval(JsonNode node) throws BadRequest {
    if (node == null) {
      return 0;
    }
    if (!node.canConvertToLong() || !node.isIntegralNumber() || node.asLong() < 0
        || node.asLong() > MAX_INTERVAL_MILLIS) {
      throw new BadRequest("interval_ms must be a whole number of milliseconds from 0 to " + MAX_INTERVAL_MILLIS);
    }
    return node.asLong();
  }

  private static long eventsAfter(JsonNode node) throws BadRequest {
    if (node == null) {
      return -1;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
      throw new BadRequest("events_after must be a whole number from 0: the seq of the last event you have");
    }
    return node.asLong();
  }

  /** A line the server cannot serve: the client gets the message and its connection is closed. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
