package io.ipcscope.collector.live;

import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.talk.TalkGraph;
import java.util.List;
import java.util.Objects;

/**
 * What the collector's loop publishes once a second: immutable, so the live server's threads read it without locks.
 *
 * @param seq increases by one per publication, from 1; 0 is "nothing published yet"
 * @param monotonicNanos CLOCK_MONOTONIC when it was published
 */
public record Publication(long seq, long monotonicNanos, TalkGraph.Snapshot graph, CollectorHealth health) {

  public Publication {
    Objects.requireNonNull(graph, "graph");
    Objects.requireNonNull(health, "health");
  }

  /** Before the loop's first publication. */
  public static Publication none(long monotonicNanos) {
    return new Publication(0, monotonicNanos, new TalkGraph.Snapshot(List.of(), List.of()), CollectorHealth.EMPTY);
  }
}
