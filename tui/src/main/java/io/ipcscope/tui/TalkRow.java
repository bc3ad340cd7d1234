package io.ipcscope.tui;

import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.probes.event.Mechanism;
import java.util.List;

/**
 * One edge of the graph as the Talk view shows it.
 *
 * @param from {@code comm[pid]} of the writer or sender
 * @param channel the channel's path when it has one, its display name otherwise, empty for signals
 * @param history one sample per frame, oldest first, at most {@link TopModel#HISTORY} (bytes/s, or msgs/s for edges
 *     that carry no bytes)
 * @param lastAgoNanos how long before the frame the edge was last active
 * @param fresh first seen in the last {@link TopModel#FRESH_NANOS}
 * @param faded no activity for {@link TopModel#FADE_NANOS}
 * @param maxBacklogBytes back-pressure: the highest fill level of the channel (byte streams) or queue depth seen
 */
public record TalkRow(EdgeKey key, String from, String to, Mechanism mechanism, String channel, double messagesPerSec,
    double bytesPerSec, long messages, long bytes, long latencyMeanNanos, List<Double> history, long lastAgoNanos,
    boolean fresh, boolean faded, long maxBacklogBytes) implements TopRow {

  public TalkRow {
    history = List.copyOf(history);
  }

  /** A row with no back-pressure measured. */
  public TalkRow(EdgeKey key, String from, String to, Mechanism mechanism, String channel, double messagesPerSec,
      double bytesPerSec, long messages, long bytes, long latencyMeanNanos, List<Double> history, long lastAgoNanos,
      boolean fresh, boolean faded) {
    this(key, from, to, mechanism, channel, messagesPerSec, bytesPerSec, messages, bytes, latencyMeanNanos, history,
        lastAgoNanos, fresh, faded, 0);
  }

  @Override
  public Object id() {
    return key;
  }
}
