package io.ipcscope.tui;

/**
 * Latencies counted in power-of-two buckets from 1 µs: enough resolution to tell a pipe's microseconds from a
 * queue's milliseconds, in a fixed 22 longs however many are counted.
 */
final class LatencyHistogram {

  /** Bucket 0 is under 1 µs, bucket i is [2^(i-1), 2^i) µs, the last one everything from about 1 s. */
  static final int BUCKETS = 22;

  private final long[] counts = new long[BUCKETS];
  private long total;

  void add(long nanos) {
    counts[bucket(nanos)]++;
    total++;
  }

  static int bucket(long nanos) {
    long micros = nanos / 1_000;
    return micros <= 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(micros));
  }

  /** The lowest latency bucket {@code i} holds, in nanoseconds. */
  static long lowerNanos(int i) {
    return i == 0 ? 0 : (1L << (i - 1)) * 1_000;
  }

  /** Adds another histogram's counts to this one's. */
  void addAll(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  /**
   * The upper bound of the bucket holding the {@code q} quantile (0 < q <= 1): "99 % took less than this"; 0 when
   * nothing was counted. Bucket bounds are powers of two, so it overstates by less than a factor of two.
   */
  long quantileNanos(double q) {
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank && seen > 0) {
        return i == BUCKETS - 1 ? lowerNanos(i) : lowerNanos(i + 1);
      }
    }
    return 0;
  }

  long count(int bucket) {
    return counts[bucket];
  }

  long total() {
    return total;
  }
}
