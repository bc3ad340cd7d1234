package io.ipcscope.probes;

/**
 * One run of the bench program.
 *
 * @param emitted records the program produced or tried to (test_run return values summed)
 * @param delivered events decoded and handed to the sink
 * @param drops failed reservations counted by the programs during the run
 * @param elapsedNanos wall time of the whole run
 * @param drainNanos time spent draining and decoding (the consumer's share)
 */
public record BenchResult(long emitted, long delivered, long drops, long elapsedNanos, long drainNanos) {

  /** Events decoded per second of consumer time; 0 when nothing was measured. */
  public double drainEventsPerSecond() {
    return drainNanos <= 0 ? 0 : delivered * 1e9 / drainNanos;
  }

  /** Events per second end to end (producer and consumer taking turns). */
  public double endToEndEventsPerSecond() {
    return elapsedNanos <= 0 ? 0 : delivered * 1e9 / elapsedNanos;
  }
}
