package io.ipcscope.collector.live;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ipcscope.collector.otel.AgentHealth;
import io.ipcscope.collector.otel.CollectorHealth;
import java.io.IOException;

/** Every {@link CollectorHealth} field, snake_case, plus the total of lost records; the agents' in {@code agents}. */
final class HealthJson {

  private HealthJson() {}

  static void write(JsonGenerator g, CollectorHealth h) throws IOException {
    g.writeStartObject();
    g.writeNumberField("events", h.events());
    g.writeNumberField("lost", h.lost());
    g.writeArrayFieldStart("lost_per_cpu");
    for (long n : h.lostPerCpu()) {
      g.writeNumber(n);
    }
    g.writeEndArray();
    g.writeNumberField("spans_made", h.spansMade());
    g.writeNumberField("spans_exported", h.spansExported());
    g.writeNumberField("spans_failed", h.spansFailed());
    g.writeNumberField("spans_dropped", h.spansDropped());
    g.writeNumberField("span_queue", h.spanQueue());
    g.writeNumberField("processes", h.processes());
    g.writeNumberField("channels", h.channels());
    g.writeNumberField("edges", h.edges());
    g.writeNumberField("evicted_edges", h.evictedEdges());
    g.writeNumberField("evicted_processes", h.evictedProcesses());
    g.writeNumberField("evicted_channels", h.evictedChannels());
    g.writeNumberField("causal_pending", h.causalPending());
    g.writeNumberField("unobserved_bytes", h.unobservedBytes());
    AgentHealth a = h.agents();
    g.writeObjectFieldStart("agents");
    g.writeNumberField("connected", a.connected());
    g.writeNumberField("welcomed", a.welcomed());
    g.writeNumberField("rejected", a.rejected());
    g.writeNumberField("bad_lines", a.badLines());
    g.writeNumberField("ops", a.ops());
    g.writeNumberField("bytes", a.bytes());
    g.writeNumberField("summaries", a.summaries());
    g.writeNumberField("ops_dropped", a.opsDropped());
    g.writeNumberField("joined", a.joined());
    g.writeNumberField("unjoined", a.unjoined());
    g.writeNumberField("held", a.held());
    g.writeNumberField("hold_timeouts", a.holdTimeouts());
    g.writeEndObject();
    g.writeEndObject();
  }
}
