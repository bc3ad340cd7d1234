package io.ipcscope.collector.live;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/** One recent operation as the live socket writes it in a snapshot's {@code events} (docs/LIVE-API.md). */
final class EventJson {

  private EventJson() {}

  static void write(JsonGenerator g, RecentEvent e, long epochOffsetNanos) throws IOException {
    g.writeStartObject();
    g.writeNumberField("seq", e.seq());
    g.writeNumberField("ts_ns", e.tsNanos() + epochOffsetNanos);
    g.writeStringField("actor", id(e.actor()));
    g.writeStringField("comm", e.comm());
    g.writeNumberField("tid", e.tid());
    g.writeStringField("mechanism", e.mechanism().id());
    g.writeStringField("op", e.op().id());
    g.writeStringField("role", e.role().name().toLowerCase(Locale.ROOT));
    if (e.channel() != null) {
      g.writeStringField("channel", e.channel().display());
    }
    g.writeNumberField("bytes", e.bytes());
    if (e.source() != null) {
      g.writeStringField("source", id(e.source()));
    }
    if (e.peerPid() != 0) {
      g.writeNumberField("peer_pid", e.peerPid());
      g.writeStringField("peer_comm", e.peerComm());
    }
    if (e.latencyNanos() >= 0) {
      g.writeNumberField("latency_ns", e.latencyNanos());
    }
    if (e.signal() != 0) {
      g.writeNumberField("signal", e.signal());
    }
    g.writeNumberField("result", e.result());
    if (!e.traceId().isEmpty()) {
      g.writeStringField("trace_id", e.traceId());
    }
    g.writeEndObject();
  }

  /**
   * An operation read back, its time moved to the epoch clock of the snapshot's other times; empty when it names a
   * mechanism or operation this version does not know.
   */
  static Optional<RecentEvent> read(JsonNode e) {
    Optional<Mechanism> mechanism = Mechanism.fromId(e.path("mechanism").asText());
    Optional<Operation> op = operation(e.path("op").asText());
    if (mechanism.isEmpty() || op.isEmpty()) {
      return Optional.empty();
    }
    Role role = switch (e.path("role").asText()) {
      case "producer" -> Role.PRODUCER;
      case "consumer" -> Role.CONSUMER;
      default -> Role.NONE;
    };
    ChannelKey channel = e.hasNonNull("channel") ? ChannelKey.parse(e.path("channel").asText()).orElse(null) : null;
    ProcessKey source = e.hasNonNull("source") ? GraphJson.key(e.path("source").asText()) : null;
    return Optional.of(new RecentEvent(e.path("seq").asLong(), e.path("ts_ns").asLong(),
        GraphJson.key(e.path("actor").asText()), e.path("comm").asText(""), e.path("tid").asInt(), mechanism.get(),
        op.get(), role, channel, e.path("bytes").asLong(), source, e.path("peer_pid").asInt(),
        e.path("peer_comm").asText(""), e.has("latency_ns") ? e.path("latency_ns").asLong() : -1,
        e.path("signal").asInt(), e.path("result").asInt(), e.path("trace_id").asText("")));
  }

  private static Optional<Operation> operation(String id) {
    for (Operation op : Operation.values()) {
      if (op.id().equals(id)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }

  private static String id(ProcessKey key) {
    return new ProcessNode(key, "", "", 0).id();
  }
}
