package io.ipcscope.collector.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The agent protocol's lines (docs/AGENT.md): one JSON object per line, told apart by {@code type}. Every field is
 * checked for what the join needs from it; a line that fails says why in one {@link BadLine}, never with a stack
 * trace.
 */
final class AgentLines {

  /** The oldest protocol version this collector speaks: operations and marks. */
  static final int PROTOCOL = 1;
  /** The newest: summaries too, the operations an agent folded per stream and window. */
  static final int MAX_PROTOCOL = 2;
  /** At most this many operations in one summary: a few seconds of the busiest stream many times over. */
  static final long MAX_COUNT = 1L << 40;
  static final int MAX_ATTRIBUTES = 64;
  static final int MAX_TEXT = 4096;

  /** A line the collector cannot use, and why (one line, for the notice and the error answer). */
  static final class BadLine extends Exception {
    private static final long serialVersionUID = 1L;

    BadLine(String reason) {
      super(reason, null, false, false);
    }
  }

  private final ObjectMapper json = new ObjectMapper();

  /** The line's {@code type} and its object. */
  record Line(String type, JsonNode node) {}

  Line parse(byte[] bytes, int offset, int length) throws BadLine {
    JsonNode node;
    try {
      node = json.readTree(bytes, offset, length);
    } catch (JsonProcessingException e) {
      throw new BadLine("not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadLine("not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new BadLine("not a JSON object");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw new BadLine("no \"type\"");
    }
    return new Line(type.asText(), node);
  }

  /** A hello's claim: the pid it speaks for, checked by the caller against the socket's peer. */
  AgentMessage.Hello hello(JsonNode n) throws BadLine {
    protocol(n);
    long pid = integer(n, "pid");
    if (pid <= 0 || pid > Integer.MAX_VALUE) {
      throw new BadLine("pid " + pid + " is not a process id");
    }
    return new AgentMessage.Hello((int) pid, optionalText(n, "service"), optionalText(n, "agent"),
        optionalText(n, "runtime"));
  }

  /**
   * The version a hello's agent and this collector share, the newest: the agent offers {@code protocol} to
   * {@code max_protocol} (an agent that predates version 2 sends only {@code protocol}).
   */
  static int protocol(JsonNode n) throws BadLine {
    long oldest = integer(n, "protocol");
    long newest = n.has("max_protocol") ? integer(n, "max_protocol") : oldest;
    if (newest < oldest || oldest > MAX_PROTOCOL || newest < PROTOCOL) {
      throw new BadLine("protocol " + oldest + (newest != oldest ? " to " + newest : "") + " is not supported"
          + " (this collector speaks " + PROTOCOL + " to " + MAX_PROTOCOL + ")");
    }
    return (int) Math.min(newest, MAX_PROTOCOL);
  }

  /**
   * A summary line (protocol 2): an operation's fields, {@code bytes} the total of the {@code count} operations it
   * stands for (-1 when none moved any), {@code start} and {@code end} the first's start and the last's end.
   */
  AgentMessage.Summary summary(int pid, JsonNode n) throws BadLine {
    long count = integer(n, "count");
    if (count < 1 || count > MAX_COUNT) {
      throw new BadLine("count " + count + " is not a number of operations");
    }
    AgentOp op = op(pid, n);
    if (op.bytes() < -1) {
      throw new BadLine("bytes " + op.bytes() + " is not a number of bytes");
    }
    return new AgentMessage.Summary(op, count);
  }

  AgentOp op(int pid, JsonNode n) throws BadLine {
    String spanId = hex(n, "span_id", 16);
    String traceId = "";
    String parentSpanId = "";
    boolean sampled = true;
    if (n.has("trace_id")) {
      traceId = hex(n, "trace_id", 32);
      parentSpanId = hex(n, "parent_span_id", 16);
      JsonNode s = n.get("sampled");
      sampled = s == null || !s.isBoolean() || s.asBoolean();
    }
    long tid = integer(n, "tid");
    if (tid <= 0 || tid > Integer.MAX_VALUE) {
      throw new BadLine("tid " + tid + " is not a thread id");
    }
    long start = integer(n, "start");
    long end = integer(n, "end");
    if (end < start) {
      throw new BadLine("end " + end + " is before start " + start);
    }
    return new AgentOp(pid, spanId, name(n, "mechanism"), name(n, "operation"), optionalText(n, "channel"),
        integer(n, "bytes"), n.has("peer_pid") ? integer(n, "peer_pid") : 0, (int) tid, start, end, traceId,
        parentSpanId, sampled, attributes(n.get("attributes")));
  }

  AgentMessage.Mark mark(int pid, JsonNode n) throws BadLine {
    return new AgentMessage.Mark(pid, integer(n, "sent_through"),
        n.has("accepted") ? integer(n, "accepted") : 0, n.has("dropped") ? integer(n, "dropped") : 0);
  }

  private static List<Map.Entry<String, String>> attributes(JsonNode a) throws BadLine {
    if (a == null || a.isNull()) {
      return List.of();
    }
    if (!a.isObject()) {
      throw new BadLine("\"attributes\" is not an object");
    }
    if (a.size() > MAX_ATTRIBUTES) {
      throw new BadLine("more than " + MAX_ATTRIBUTES + " attributes");
    }
    List<Map.Entry<String, String>> out = new ArrayList<>(a.size());
    for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (!f.getValue().isValueNode() || f.getValue().isNull()) {
        throw new BadLine("attribute " + f.getKey() + " is not a string");
      }
      out.add(Map.entry(bounded(f.getKey(), "attribute name"), bounded(f.getValue().asText(), f.getKey())));
    }
    return out;
  }

  private static long integer(JsonNode n, String field) throws BadLine {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new BadLine("\"" + field + "\" is missing or not an integer");
    }
    return v.asLong();
  }

  private static String name(JsonNode n, String field) throws BadLine {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty() || v.asText().length() > 64) {
      throw new BadLine("\"" + field + "\" is missing or not a name");
    }
    return v.asText();
  }

  private static String optionalText(JsonNode n, String field) throws BadLine {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw new BadLine("\"" + field + "\" is not a string");
    }
    return bounded(v.asText(), field);
  }

  private static String bounded(String s, String what) throws BadLine {
    if (s.length() > MAX_TEXT) {
      throw new BadLine(what + " is longer than " + MAX_TEXT + " characters");
    }
    return s;
  }

  /** {@code digits} lower-case hex digits, not all zero (OpenTelemetry's valid ids). */
  private static String hex(JsonNode n, String field, int digits) throws BadLine {
    JsonNode v = n.get(field);
    String s = v == null || !v.isTextual() ? "" : v.asText();
    boolean ok = s.length() == digits;
    boolean zero = true;
    for (int i = 0; ok && i < s.length(); i++) {
      char c = s.charAt(i);
      ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      zero &= c == '0';
    }
    if (!ok || zero) {
      throw new BadLine("\"" + field + "\" is not " + digits + " lower-case hex digits (not all zero)");
    }
    return s;
  }
}
