package io.ipcscope.agent.capture;

import java.util.Arrays;

/**
 * One operation the application made, as the agent saw it: what, on which channel (named the way the kernel names
 * it: {@code pipe:[4711]}, {@code socket:[8123]}, a path), how much, with whom, on which native thread, when (on the
 * kernel events' clock) and inside which of the application's spans.
 *
 * <p>Made on the application's thread, so it is one small object and nothing else: the span id, the JSON and the
 * span are made later, on the agent's thread.
 */
public final class IpcOp {

  /** Added to an operation when the application had a span active: its trace and its span, our parent. */
  public static final class Parent {
    public final String traceId;
    public final String spanId;
    public final boolean sampled;

    public Parent(String traceId, String spanId, boolean sampled) {
      this.traceId = traceId;
      this.spanId = spanId;
      this.sampled = sampled;
    }
  }

  public final String mechanism;
  public final String operation;
  public final String channel;
  /** Bytes moved; -1 where the operation moves none (a kill, a lock) or reached end of stream. */
  public final long bytes;
  /** The process at the other end, 0 when not known. */
  public final long peerPid;
  public final int tid;
  public final long startNanos;
  public final long endNanos;
  /** Null when the application had no span active. */
  public final Parent parent;
  /** Further attributes as key, value, key, value...; never null. */
  private final String[] attributes;

  public IpcOp(String mechanism, String operation, String channel, long bytes, long peerPid, int tid,
      long startNanos, long endNanos, Parent parent, String... attributes) {
    this.mechanism = mechanism;
    this.operation = operation;
    this.channel = channel;
    this.bytes = bytes;
    this.peerPid = peerPid;
    this.tid = tid;
    this.startNanos = startNanos;
    this.endNanos = endNanos;
    this.parent = parent;
    this.attributes = attributes;
    if (attributes.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in key, value pairs");
    }
  }

  public int attributeCount() {
    return attributes.length / 2;
  }

  public String attributeKey(int i) {
    return attributes[2 * i];
  }

  public String attributeValue(int i) {
    return attributes[2 * i + 1];
  }

  /** The value of an attribute, or null. */
  public String attribute(String key) {
    for (int i = 0; i < attributes.length; i += 2) {
      if (attributes[i].equals(key)) {
        return attributes[i + 1];
      }
    }
    return null;
  }

  /** Whether {@code other} carries the same attributes in the same order: at once when they share the array. */
  public boolean sameAttributes(IpcOp other) {
    return attributes == other.attributes || Arrays.equals(attributes, other.attributes);
  }

  @Override
  public String toString() {
    return mechanism + " " + operation + " " + channel + " bytes=" + bytes + " peer=" + peerPid + " tid=" + tid
        + " " + Arrays.toString(attributes);
  }
}
