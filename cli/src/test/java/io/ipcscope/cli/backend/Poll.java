package io.ipcscope.cli.backend;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a backend until what it holds passes a check; backends ingest asynchronously, so tests wait, bounded. */
final class Poll {
  private static final Duration INTERVAL = Duration.ofMillis(100);

  private Poll() {}

  /**
   * Returns the first value from {@code probe} that {@code done} accepts.
   *
   * @throws AssertionError naming {@code what} and the last value seen, when {@code timeout} passes first
   */
  static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = probe.get();
      if (done.test(value)) {
        return value;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(what + " not seen within " + timeout + "; last seen: " + value);
      }
      sleep(INTERVAL);
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
