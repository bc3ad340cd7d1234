package io.ipcscope.agent.export;

import java.util.SplittableRandom;

/** Span ids as OpenTelemetry writes them: 16 lowercase hex digits, never all zero. */
final class SpanIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private SpanIds() {}

  static String random(SplittableRandom random) {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (id & 0xf)];
      id >>>= 4;
    }
    return new String(out);
  }
}
