package io.ipcscope.tui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** What the model remembers of one edge between frames: its counters at the last frame and its rate samples. */
final class EdgeHistory {

  final long firstSeenNanos;
  /** Edges already there when the dashboard started are not news; only later arrivals are highlighted. */
  final boolean presentAtStart;
  long messages;
  long bytes;
  double messagesPerSec;
  double bytesPerSec;
  private final ArrayDeque<Double> samples = new ArrayDeque<>();

  EdgeHistory(long firstSeenNanos, boolean presentAtStart) {
    this.firstSeenNanos = firstSeenNanos;
    this.presentAtStart = presentAtStart;
  }

  void sample(double value, int capacity) {
    if (samples.size() == capacity) {
      samples.removeFirst();
    }
    samples.addLast(value);
  }

  List<Double> samples() {
    return new ArrayList<>(samples);
  }
}
