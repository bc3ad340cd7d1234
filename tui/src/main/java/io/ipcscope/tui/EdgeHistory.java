package io.ipcscope.tui;

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
  /**
   * Oldest first, immutable, so every frame's row can share it: it is replaced only when a sample changes what the
   * window holds. Most edges of a busy host are idle (their processes gone) and their window is all zeros: they
   * allocate nothing per frame, where a copy per edge per frame made most of what the dashboard's collections had
   * to move.
   */
  private List<Double> samples = List.of();
  /** How many samples in a row, newest included, have been equal to the newest. */
  private int repeats;

  EdgeHistory(long firstSeenNanos, boolean presentAtStart) {
    this.firstSeenNanos = firstSeenNanos;
    this.presentAtStart = presentAtStart;
  }

  void sample(double value, int capacity) {
    int size = samples.size();
    Double last = size == 0 ? null : samples.get(size - 1);
    boolean same = last != null && Double.compare(last, value) == 0;
    repeats = same ? repeats + 1 : 1;
    if (size == capacity && repeats > capacity) {
      return; // the window holds this value only: dropping the oldest and adding it again changes nothing
    }
    int drop = size == capacity ? 1 : 0;
    Double[] next = new Double[size - drop + 1];
    for (int i = drop; i < size; i++) {
      next[i - drop] = samples.get(i);
    }
    next[next.length - 1] = same ? last : Double.valueOf(value);
    samples = List.of(next);
  }

  /** Oldest first; immutable, and the same list until a sample changes it. */
  List<Double> samples() {
    return samples;
  }
}
