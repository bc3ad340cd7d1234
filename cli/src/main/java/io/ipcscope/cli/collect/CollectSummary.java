package io.ipcscope.cli.collect;

import io.ipcscope.collector.otel.AgentHealth;
import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.otel.SpanExportQueue;
import java.io.PrintStream;

/** The lines collect prints to stderr at the end: what it saw, what it exported, what was lost and why. */
final class CollectSummary {

  private CollectSummary() {}

  static void print(PrintStream err, CollectorHealth health, int edges, SpanExportQueue queue) {
    err.printf("ipcscope: %d events, %d edges, %d spans: %d exported, %d failed, %d dropped%n", health.events(), edges,
        health.spansMade(), queue.exported(), queue.failed(), queue.dropped());
    AgentHealth agents = health.agents();
    if (agents.welcomed() + agents.rejected() > 0) {
      err.printf("ipcscope: %d JVM agents (%d refused), %d operations, %d bytes, %d summaries: %d joined with kernel "
          + "spans, %d unjoined, %d dropped; %d kernel events held for them (%d timed out)%n", agents.welcomed(),
          agents.rejected(), agents.ops(), agents.bytes(), agents.summaries(), agents.joined(), agents.unjoined(),
          agents.opsDropped(), agents.held(), agents.holdTimeouts());
    }
    if (health.lost() > 0) {
      err.printf("ipcscope: %d events lost: the ring buffer was full (raise --ring-size)%n", health.lost());
    }
    if (queue.failed() > 0 && !queue.lastError().isEmpty()) {
      // "java.net.ConnectException: Failed to connect to ..." says no more to an SRE than its message does
      err.println("ipcscope: last export failure: " + queue.lastError().replaceFirst("^[a-z.]+\\.[A-Za-z]+: ", ""));
    }
  }
}
