package io.ipcscope.cli.trace;

/**
 * Maps the kernel's CLOCK_MONOTONIC timestamps (the clock of {@link System#nanoTime()} on Linux) to wall-clock time,
 * with one offset taken at start.
 */
final class MonotonicClock {

  private final long epochNanosAtStart;
  private final long monotonicAtStart;

  MonotonicClock() {
    this.monotonicAtStart = System.nanoTime();
    this.epochNanosAtStart = System.currentTimeMillis() * 1_000_000L;
  }

  long toEpochMillis(long monotonicNanos) {
    return (epochNanosAtStart + (monotonicNanos - monotonicAtStart)) / 1_000_000L;
  }
}
