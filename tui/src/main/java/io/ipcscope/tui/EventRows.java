package io.ipcscope.tui;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.SignalNames;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.probes.event.Mechanism;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Operations as the Events view and the detail pane list them: peers named from the frame, times of day. */
final class EventRows {

  private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  private final Map<ProcessKey, ProcessNode> nodes;
  private final ZoneId zone;
  private final long epochOffsetNanos;

  /** @param epochOffsetNanos the frame's wall-clock epoch minus CLOCK_MONOTONIC, in nanoseconds */
  EventRows(Map<ProcessKey, ProcessNode> nodes, ZoneId zone, long epochOffsetNanos) {
    this.nodes = nodes;
    this.zone = zone;
    this.epochOffsetNanos = epochOffsetNanos;
  }

  /** The kept operations of the chosen family that match the filter, newest first. */
  List<EventRow> of(EventLog events, RowFilter filter) {
    List<EventRow> rows = new ArrayList<>();
    for (RecentEvent e : events.newest(e -> filter.includes(e.mechanism()), EventLog.CAPACITY)) {
      EventRow row = row(e);
      if (filter.matches(row.actor(), row.peer(), e.mechanism().id(), e.op().id(), row.channel())) {
        rows.add(row);
      }
    }
    return List.copyOf(rows);
  }

  EventRow row(RecentEvent e) {
    String actor = (e.comm().isEmpty() ? "?" : e.comm()) + "[" + e.actor().pid() + "]";
    String peer = "";
    if (e.source() != null) {
      ProcessNode n = nodes.get(e.source());
      peer = "← " + (n != null ? n.label() : e.source().pid() == 0 ? "(not observed)"
          : (e.peerComm().isEmpty() ? "?" : e.peerComm()) + "[" + e.source().pid() + "]");
    } else if (e.peerPid() != 0) {
      peer = "→ " + (e.peerComm().isEmpty() ? "?" : e.peerComm()) + "[" + e.peerPid() + "]";
    }
    String channel = e.mechanism() == Mechanism.SIGNAL ? (e.signal() == 0 ? "" : SignalNames.name(e.signal()))
        : e.channel() == null ? "" : e.channel().display();
    return new EventRow(e, clock(e.tsNanos()), actor, peer, channel);
  }

  /** A CLOCK_MONOTONIC time of the frames as a time of day. */
  String clock(long monotonicNanos) {
    return TIME_OF_DAY.format(Instant.ofEpochSecond(0, monotonicNanos + epochOffsetNanos).atZone(zone));
  }
}
