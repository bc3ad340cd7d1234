package io.ipcscope.tui;

import java.util.List;
import java.util.Locale;

/** Short human forms of numbers, so a column stays five characters wide whatever the magnitude. */
final class Units {

  private static final String BARS = "▁▂▃▄▅▆▇█";
  private static final String[] SUFFIXES = {"", "K", "M", "G", "T", "P"};

  private Units() {}

  /** 999, 1.2K, 34K, 3.4M (binary units, as ls -h and top print sizes). */
  static String bytes(double n) {
    return scaled(n, 1024);
  }

  /** 12, 0.5, 1.2k: message counts and rates, decimal. */
  static String count(double n) {
    // Rates measured over a timer's interval are rarely whole; a decimal only where it says something.
    if (n > 0 && n < 9.95 && Math.abs(n - Math.rint(n)) >= 0.05) {
      return String.format(Locale.ROOT, "%.1f", n);
    }
    return scaled(n, 1000).toLowerCase(Locale.ROOT);
  }

  private static String scaled(double n, int base) {
    if (n < base) {
      return Long.toString(Math.round(n));
    }
    int i = 0;
    while (n >= base && i < SUFFIXES.length - 1) {
      n /= base;
      i++;
    }
    // One decimal only where it still fits in four characters.
    return n < 9.95 ? String.format(Locale.ROOT, "%.1f%s", n, SUFFIXES[i])
        : String.format(Locale.ROOT, "%d%s", Math.round(n), SUFFIXES[i]);
  }

  /** 850ns, 12µs, 1.5ms, 230ms, 2.1s; "-" when nothing was measured. */
  static String latency(long nanos) {
    if (nanos <= 0) {
      return "-";
    }
    if (nanos < 1_000) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000) {
      return nanos / 1_000 + "µs";
    }
    if (nanos < 10_000_000) {
      return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
    if (nanos < 1_000_000_000) {
      return nanos / 1_000_000 + "ms";
    }
    return String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
  }

  /** now, 2s, 5m, 3h: how long ago. */
  static String ago(long nanos) {
    long s = nanos / 1_000_000_000L;
    if (s < 1) {
      return "now";
    }
    if (s < 60) {
      return s + "s";
    }
    return s < 3600 ? s / 60 + "m" : s / 3600 + "h";
  }

  /** The last {@code width} samples as bars scaled to their maximum; idle samples are the lowest bar. */
  static String sparkline(List<Double> samples, int width) {
    List<Double> tail = samples.subList(Math.max(0, samples.size() - width), samples.size());
    double max = tail.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    StringBuilder sb = new StringBuilder(width);
    for (double v : tail) {
      int level = max <= 0 ? 0 : (int) Math.round(v / max * (BARS.length() - 1));
      sb.append(BARS.charAt(level));
    }
    return sb.toString();
  }

  /** Cut to {@code width} columns, marking the cut with an ellipsis. */
  static String fit(String s, int width) {
    if (width <= 0) {
      return "";
    }
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }
}
