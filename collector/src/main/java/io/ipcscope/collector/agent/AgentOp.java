package io.ipcscope.collector.agent;

import java.util.List;
import java.util.Map;

/**
 * One operation a JVM's agent reported (docs/AGENT.md, "Protocol"), for the process whose socket sent it: the pid
 * is the connection's, checked with SO_PEERCRED, never the line's. Times are the JVM's {@code System.nanoTime()},
 * which on Linux is CLOCK_MONOTONIC, the clock of the kernel events.
 *
 * @param spanId 16 lower-case hex digits, not all zero: the span the agent chose for the operation
 * @param channel the channel as the kernel names it ({@code pipe:[4711]}, {@code socket:[8123]}), a FIFO's path, or
 *     empty (a spawn, a kill)
 * @param bytes bytes moved; -1 where nothing moves or the stream ended
 * @param peerPid the process at the other end (a kill's target), 0 when the agent cannot know it
 * @param traceId the application's trace (32 hex digits) when it had a span active, else empty
 * @param parentSpanId the application's span, the operation's parent; empty with {@code traceId}
 * @param attributes further attributes, in the order the agent sent them
 */
public record AgentOp(int pid, String spanId, String mechanism, String operation, String channel, long bytes,
    long peerPid, int tid, long startNanos, long endNanos, String traceId, String parentSpanId, boolean sampled,
    List<Map.Entry<String, String>> attributes) {

  public AgentOp {
    attributes = List.copyOf(attributes);
  }

  /** Whether the application had a span active: the operation is then that span's child. */
  public boolean hasParent() {
    return !traceId.isEmpty();
  }

  /** The value of an attribute, or null. */
  public String attribute(String key) {
    for (Map.Entry<String, String> a : attributes) {
      if (a.getKey().equals(key)) {
        return a.getValue();
      }
    }
    return null;
  }
}
