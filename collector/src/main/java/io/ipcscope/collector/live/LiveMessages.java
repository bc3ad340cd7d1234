package io.ipcscope.collector.live;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.RecentEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The lines the live server writes, each one JSON object and a newline (docs/LIVE-API.md). */
final class LiveMessages {

  private final LiveInfo info;

  LiveMessages(LiveInfo info) {
    this.info = info;
  }

  /**
   * The answer to {@code {"request":"snapshot"}}; with {@code eventsAfter >= 0}, also the recent operations numbered
   * after it that the publication holds.
   */
  byte[] snapshot(Published p, long nowNanos, long eventsAfter) {
    return line(g -> {
      g.writeStringField("type", "snapshot");
      header(g, p, nowNanos);
      g.writeFieldName("graph");
      GraphJson.write(g, p.publication().graph(), info.epochOffsetNanos());
      if (eventsAfter >= 0) {
        g.writeArrayFieldStart("events");
        for (RecentEvent e : p.publication().recent()) {
          if (e.seq() > eventsAfter) {
            EventJson.write(g, e, info.epochOffsetNanos());
          }
        }
        g.writeEndArray();
      }
    });
  }

  /** One line of a watch stream. */
  byte[] update(Published p, Changes c, long nowNanos) {
    return line(g -> {
      g.writeStringField("type", "update");
      header(g, p, nowNanos);
      g.writeBooleanField("full", c.full());
      g.writeArrayFieldStart("nodes");
      for (ProcessNode n : c.nodes()) {
        GraphJson.node(g, n);
      }
      g.writeEndArray();
      edges(g, "added", c.added());
      edges(g, "updated", c.updated());
      g.writeArrayFieldStart("evicted");
      for (EdgeKey key : c.evicted()) {
        g.writeStartObject();
        GraphJson.keyFields(g, key);
        g.writeEndObject();
      }
      g.writeEndArray();
    });
  }

  /** The last line a client gets before the server closes its connection. */
  static byte[] error(String message) {
    return line(g -> {
      g.writeStringField("type", "error");
      g.writeStringField("error", message);
    });
  }

  private void header(JsonGenerator g, Published p, long nowNanos) throws IOException {
    g.writeStringField("version", info.version());
    g.writeStringField("host", info.host());
    g.writeNumberField("pid", info.pid());
    g.writeNumberField("started_ns", info.startedMonotonicNanos() + info.epochOffsetNanos());
    g.writeNumberField("uptime_ms", info.uptimeMillis(nowNanos));
    g.writeNumberField("seq", p.publication().seq());
    g.writeNumberField("published_ns", p.publication().monotonicNanos() + info.epochOffsetNanos());
    g.writeNumberField("events_per_second", p.eventsPerSecond());
    g.writeFieldName("health");
    HealthJson.write(g, p.publication().health());
  }

  private void edges(JsonGenerator g, String field, java.util.List<Edge> edges) throws IOException {
    g.writeArrayFieldStart(field);
    for (Edge e : edges) {
      GraphJson.edge(g, e, info.epochOffsetNanos());
    }
    g.writeEndArray();
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] line(Fields fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = GraphJson.FACTORY.createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    out.write('\n');
    return out.toByteArray();
  }
}
