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

  private static final byte[] DIGITS = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** 16 lower-case hex digits; a Latin-1 string from a byte array, no intermediate copies. */
  private static String hex(long value) {
    byte[] out = new byte[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = DIGITS[(int) (value & 0xf)];
      value >>>= 4;
    }
    return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
  }
}
