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
 * @param timeline which stretch of the source's clock the frame belongs to: a replay that seeks starts another, whose
 *     counters, clock and operation numbers do not follow on from the frames before it, so the dashboard starts over
 *     (sources that only go forward: always 0)
 * @param baseline null, or the source's frame shortly before this one on the same timeline: the first frame after a
 *     seek carries it so that its rates are right at once, even while the replay is paused
 */
public record TopFrame(TalkGraph.Snapshot graph, CollectorHealth health, long atNanos, long epochOffsetNanos,
    List<RecentEvent> recent, long timeline, /* @Nullable */ TopFrame baseline) {

  public TopFrame {
    recent = List.copyOf(recent);
  }

  /** A frame of a source whose clock only goes forward. */
  public TopFrame(TalkGraph.Snapshot graph, CollectorHealth health, long atNanos, long epochOffsetNanos,
      List<RecentEvent> recent) {
    this(graph, health, atNanos, epochOffsetNanos, recent, 0, null);
  }

  /** A frame without operations. */
  public TopFrame(TalkGraph.Snapshot graph, CollectorHealth health, long atNanos, long epochOffsetNanos) {
    this(graph, health, atNanos, epochOffsetNanos, List.of());
  }

  /** This frame with other operations. */
  public TopFrame withRecent(List<RecentEvent> operations) {
    return new TopFrame(graph, health, atNanos, epochOffsetNanos, operations, timeline, baseline);
  }
}
