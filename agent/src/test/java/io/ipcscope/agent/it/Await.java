package io.ipcscope.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Waiting for the agent's lines at the {@link AgentSocketStub}: its reader thread may trail the target's exit. */
final class Await {

  private Await() {}

  static List<JsonNode> lines(AgentSocketStub collector, String type, Predicate<List<JsonNode>> done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<JsonNode> lines = collector.lines(type);
      if (done.test(lines)) {
        return lines;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the collector stub did not get the '" + type + "' lines expected in " + timeout
        + "; it got " + collector.lines(type));
  }

  /** The "op" lines, once the last mark says every operation up to now was sent. */
  static List<JsonNode> allOps(AgentSocketStub collector, long expected, Duration timeout)
      throws InterruptedException {
    return lines(collector, "op", ops -> ops.size() >= expected, timeout);
  }
}
