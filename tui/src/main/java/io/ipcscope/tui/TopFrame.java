package io.ipcscope.tui;

import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.collector.talk.TalkGraph;
import java.util.List;

/**
 * What the dashboard shows at one moment: the who-talks-to-whom graph and the collector's health, as published by
 * whoever runs the model (probes in this process, a running collector, a recording), and the operations since the
 * previous frame.
 *
 * @param atNanos CLOCK_MONOTONIC time of the snapshot; rates are computed between frames
 * @param epochOffsetNanos wall-clock epoch nanoseconds minus CLOCK_MONOTONIC nanoseconds, to show times
 * @param recent operations since the source's previous frame, oldest first, numbered by the collector; times on
 *     the same clock as {@code atNanos}. A gap in the numbers is operations the source did not keep.
 */
public record TopFrame(TalkGraph.Snapshot graph, CollectorHealth health, long atNanos, long epochOffsetNanos,
    List<RecentEvent> recent) {

  public TopFrame {
    recent = List.copyOf(recent);
  }

  /** A frame without operations. */
  public TopFrame(TalkGraph.Snapshot graph, CollectorHealth health, long atNanos, long epochOffsetNanos) {
    this(graph, health, atNanos, epochOffsetNanos, List.of());
  }
}
