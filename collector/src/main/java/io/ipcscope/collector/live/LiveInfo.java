package io.ipcscope.collector.live;

import java.util.Objects;

/**
 * What a live client is told about the collector itself.
 *
 * @param epochOffsetNanos wall-clock epoch nanoseconds minus CLOCK_MONOTONIC: turns the model's times into epoch
 * @param startedMonotonicNanos CLOCK_MONOTONIC when the collector started
 */
public record LiveInfo(String version, String host, long pid, long epochOffsetNanos, long startedMonotonicNanos) {

  public LiveInfo {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(host, "host");
  }

  long uptimeMillis(long nowMonotonicNanos) {
    return Math.max(0, (nowMonotonicNanos - startedMonotonicNanos) / 1_000_000L);
  }
}
