package io.ipcscope.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times modes of one bench against a baseline timed in the same invocation and prints a row per mode: events per
 * second of one core, time against the baseline, and the spans a mode made with their rate.
 */
final class Timings {

  /** One timed run; returns the spans it made, or -1 when it makes none. */
  @FunctionalInterface
  interface Run {
    long run() throws Exception;
  }

  private final long events;
  private final int runs;
  private final Map<String, Double> seconds = new LinkedHashMap<>();
  private double baseline;

  Timings(long events, int runs) {
    this.events = events;
    this.runs = runs;
  }

  void baseline(String mode, Run run) throws Exception {
    System.out.printf("%-30s %14s %10s %12s %14s%n", "MODE", "EVENTS/S", "VS BASE", "SPANS", "SPANS/S");
    baseline = time(mode, run);
  }

  void run(String mode, Run run) throws Exception {
    time(mode, run);
  }

  double rate(String mode) {
    return events / seconds.get(mode);
  }

  /** The shortest of {@code runs} timings after one warm-up run, printed. */
  private double time(String mode, Run run) throws Exception {
    long spans = run.run();
    double best = Double.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      spans = run.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    seconds.put(mode, best);
    double base = baseline == 0 ? best : baseline;
    System.out.printf("%-30s %,14.0f %9.2fx %12s %14s%n", mode, events / best, best / base,
        spans < 0 ? "-" : String.format("%,d", spans), spans < 0 ? "-" : String.format("%,.0f", spans / best));
    return best;
  }
}
