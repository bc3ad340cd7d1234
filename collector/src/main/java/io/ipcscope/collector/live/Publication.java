package io.ipcscope.collector.live;

import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.collector.talk.TalkGraph;
import java.util.List;
import java.util.Objects;

/**
 * What the collector's loop publishes once a second: immutable, so the live server's threads read it without locks.
 *
 * @param seq increases by one per publication, from 1; 0 is "nothing published yet"
 * @param monotonicNanos CLOCK_MONOTONIC when it was published
 * @param recent the collector's last operations ({@link io.ipcscope.collector.talk.EventTail}), oldest first
 */
public record Publication(long seq, long monotonicNanos, TalkGraph.Snapshot graph, CollectorHealth health,
    List<RecentEvent> recent) {

  public Publication {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(health, "health");
    recent = List.copyOf(recent);
  }

  /** A publication without recent operations. */
  public Publication(long seq, long monotonicNanos, TalkGraph.Snapshot graph, CollectorHealth health) {
    this(seq, monotonicNanos, graph, health, List.of());
  }

  /** Before the loop's first publication. */
  public static Publication none(long monotonicNanos) {
    return new Publication(0, monotonicNanos, new TalkGraph.Snapshot(List.of(), List.of()), CollectorHealth.EMPTY);
  }
}
