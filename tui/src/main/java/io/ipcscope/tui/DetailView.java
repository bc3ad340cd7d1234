package io.ipcscope.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.ArrayList;
import java.util.List;

/**
 * The detail pane, over the table's whole area: title and facts, the latency histogram with its quantiles, the last
 * operations, and the trace ids to look up in the tracing backend.
 */
final class DetailView {

  /** The histogram never takes more rows than this, so the operations keep room at 80x24. */
  static final int MAX_HISTOGRAM_ROWS = 6;

  private DetailView() {}

  static void draw(TextGraphics g, Detail d, int w, int first, int last) {
    int row = first - 1;
    g.enableModifiers(SGR.BOLD);
    g.putString(0, row, Units.fit(d.title(), w - 10));
    g.disableModifiers(SGR.BOLD);
    g.putString(w - 8, row, "Esc back");
    row++;
    // Facts two to a line when they fit, so the operations keep their room.
    int half = w / 2;
    for (int i = 0; i < d.facts().size() && row <= last; ) {
      String a = d.facts().get(i++);
      if (a.length() < half && i < d.facts().size() && d.facts().get(i).length() < w - half) {
        g.putString(1, row, a);
        g.putString(half + 1, row, Units.fit(d.facts().get(i++), w - half - 1));
      } else {
        g.putString(1, row, Units.fit(a, w - 1));
      }
      row++;
    }
    row = histogram(g, d.latency(), d.latencyOf(), w, row, last - 3);
    int tracesRow = last;
    if (row < tracesRow) {
      g.enableModifiers(SGR.BOLD);
      g.putString(0, row, "LAST OPERATIONS");
      g.disableModifiers(SGR.BOLD);
      row++;
      if (d.recent().isEmpty()) {
        g.putString(1, row, "none kept");
      } else {
        EventTable.titles(g, w, row++);
        EventTable.rows(g, d.recent(), w, row, tracesRow - 1);
      }
    }
    g.enableModifiers(SGR.BOLD);
    g.putString(0, tracesRow, "TRACES");
    g.disableModifiers(SGR.BOLD);
    g.putString(7, tracesRow, Units.fit(d.traceIds().isEmpty() ? d.tracesNote() : String.join("  ", d.traceIds()),
        w - 7));
  }

  /** The histogram from its first non-empty bucket, one row per bucket; returns the next free row. */
  private static int histogram(TextGraphics g, LatencyHistogram h, String of, int w, int row, int last) {
    if (row > last) {
      return row;
    }
    g.enableModifiers(SGR.BOLD);
    g.putString(0, row, "LATENCY");
    g.disableModifiers(SGR.BOLD);
    String quantiles = h.total() == 0 ? "" : "  p50 " + Units.latency(h.quantileNanos(0.5)) + "  p90 "
        + Units.latency(h.quantileNanos(0.9)) + "  p99 " + Units.latency(h.quantileNanos(0.99));
    g.putString(8, row, Units.fit(of + quantiles, w - 8));
    row++;
    if (h.total() == 0) {
      return row;
    }
    List<String> lines = bars(h, w, Math.min(MAX_HISTOGRAM_ROWS, last - row + 1));
    for (String line : lines) {
      g.putString(1, row++, Units.fit(line, w - 1));
    }
    return row;
  }

  /**
   * "  2µs-4µs ████████  120", one row per bucket over the busiest stretch of buckets that fits; what lies below or
   * above it is folded into its first or last row ("<2µs", "≥64µs"), so a few outliers do not push the bulk off.
   */
  static List<String> bars(LatencyHistogram h, int w, int maxRows) {
    int lo = 0;
    int hi = LatencyHistogram.BUCKETS - 1;
    while (lo < hi && h.count(lo) == 0) {
      lo++;
    }
    while (hi > lo && h.count(hi) == 0) {
      hi--;
    }
    int rows = Math.max(1, Math.min(maxRows, hi - lo + 1));
    int from = lo;
    long best = -1;
    for (int start = lo; start + rows - 1 <= hi; start++) {
      long sum = 0;
      for (int b = start; b < start + rows; b++) {
        sum += h.count(b);
      }
      if (sum > best) {
        best = sum;
        from = start;
      }
    }
    int to = from + rows - 1;
    long[] counts = new long[rows];
    for (int b = lo; b <= hi; b++) {
      counts[Math.max(0, Math.min(rows - 1, b - from))] += h.count(b);
    }
    long max = 0;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    int barWidth = Math.max(4, w - 1 - 15 - 9);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      int b = from + i;
      String label;
      if (i == 0 && lo < from) {
        label = "<" + Units.latency(LatencyHistogram.lowerNanos(b + 1));
      } else if (i == rows - 1 && (hi > to || b == LatencyHistogram.BUCKETS - 1)) {
        label = "≥" + Units.latency(Math.max(1_000, LatencyHistogram.lowerNanos(b)));
      } else {
        label = b == 0 ? "<1µs" : Units.latency(LatencyHistogram.lowerNanos(b)) + "-"
            + Units.latency(LatencyHistogram.lowerNanos(b + 1));
      }
      int len = max == 0 ? 0 : (int) Math.round((double) counts[i] * barWidth / max);
      if (counts[i] > 0 && len == 0) {
        len = 1;
      }
      out.add(String.format(java.util.Locale.ROOT, "%14s %-" + barWidth + "s %8d", label, "█".repeat(len), counts[i]));
    }
    return out;
  }
}
