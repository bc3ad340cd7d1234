package io.ipcscope.collector.otel;

import java.util.SplittableRandom;

/**
 * Trace and span ids from a seeded generator: a live collector seeds it at random; a replay seeds it from the
 * recording, so replaying twice gives the very same ids.
 */
final class SpanIds {

  private final SplittableRandom random;

  SpanIds(long seed) {
    this.random = new SplittableRandom(seed);
  }

  String traceId() {
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0); // all zero is the invalid id
    return hex(high) + hex(low);
  }

  String spanId() {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return hex(id);
  }

  private static String hex(long value) {
    String s = Long.toHexString(value);
    return "0".repeat(16 - s.length()) + s;
  }
}
