package io.ipcscope.agent.export;

import io.ipcscope.agent.capture.IpcOp;

/**
 * The agent protocol's lines (docs/AGENT.md): one JSON object per line. Written by hand, because the agent carries
 * no JSON library and the shapes are fixed.
 */
final class OpJson {

  private OpJson() {}

  static void op(StringBuilder out, IpcOp op, String spanId) {
    line(out, "op", op, 0, spanId);
  }

  /**
   * A summary line (protocol 2): the fields of an operation line, {@code bytes} the total, {@code start} and
   * {@code end} those of the folded operations, and {@code count} how many there were.
   */
  static void summary(StringBuilder out, OpSummary summary, String spanId) {
    line(out, "summary", summary.op, summary.count, spanId);
  }

  private static void line(StringBuilder out, String type, IpcOp op, long count, String spanId) {
    out.append("{\"type\":\"").append(type).append("\",\"span_id\":\"").append(spanId).append('"');
    field(out, "mechanism", op.mechanism);
    field(out, "operation", op.operation);
    field(out, "channel", op.channel);
    if (count > 0) {
      out.append(",\"count\":").append(count);
    }
    out.append(",\"bytes\":").append(op.bytes)
        .append(",\"peer_pid\":").append(op.peerPid)
        .append(",\"tid\":").append(op.tid)
        .append(",\"start\":").append(op.startNanos)
        .append(",\"end\":").append(op.endNanos);
    if (op.parent != null) {
      field(out, "trace_id", op.parent.traceId);
      field(out, "parent_span_id", op.parent.spanId);
      out.append(",\"sampled\":").append(op.parent.sampled);
    }
    out.append(",\"attributes\":{");
    for (int i = 0; i < op.attributeCount(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(out, op.attributeKey(i));
      out.append(':');
      string(out, op.attributeValue(i));
    }
    out.append("}}\n");
  }

  static void field(StringBuilder out, String name, String value) {
    out.append(",\"").append(name).append("\":");
    string(out, value);
  }

  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
