package io.ipcscope.cli.trace;

/**
 * Maps the kernel's CLOCK_MONOTONIC timestamps (the clock of {@link System#nanoTime()} on Linux) to wall-clock time,
 * with one offset taken at start.
 */
final class MonotonicClock {

  private final long epochNanosAtStart;
  private final long monotonicAtStart;

  MonotonicClock() {
    this(System.currentTimeMillis() * 1_000_000L, System.nanoTime());
  }

  MonotonicClock(long epochNanosAtStart, long monotonicAtStart) {
    this.epochNanosAtStart = epochNanosAtStart;
    this.monotonicAtStart = monotonicAtStart;
  }

  long toEpochMillis(long monotonicNanos) {
    return toEpochNanos(monotonicNanos) / 1_000_000L;
  }

  /** Wall-clock nanoseconds since the epoch (to the millisecond: the wall clock is read once, at start). */
  long toEpochNanos(long monotonicNanos) {
    return epochNanosAtStart + (monotonicNanos - monotonicAtStart);
  }
}
