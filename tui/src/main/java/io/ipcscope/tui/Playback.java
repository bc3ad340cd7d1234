package io.ipcscope.tui;

import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;

/**
 * The controls of a source that plays back something recorded, as a video player has them. Called from the
 * dashboard's thread, so each returns at once: the source does the work on its own thread and publishes the frame at
 * the new position when it gets there. Live sources have none ({@link TopSource#playback()}).
 */
public interface Playback {

  /** Stops the recorded clock, or starts it again from where it stopped. */
  void togglePause();

  /**
   * Moves the position by {@code nanos} of recorded time, back when negative, within the recording. Presses that
   * come before the source got there add up: three times 10 s forward is 30 s from where the screen was.
   */
  void seekBy(long nanos);

  /** Multiplies the speed by {@code factor} (2: twice as fast), within the source's limits. */
  void changeSpeed(double factor);

  /** Where the playback is now, for the header. */
  Status status();

  /**
   * Where a playback is.
   *
   * @param positionNanos recorded time from the start of the frame on screen; while seeking, how far the source got
   * @param lengthNanos the whole recording's length, or -1 while it is not known yet
   * @param seekingToNanos where a seek is going, or -1 when none is under way
   * @param ended the recording was played to its end, whose last frame stays on screen
   */
  record Status(long positionNanos, long lengthNanos, double speed, boolean paused, long seekingToNanos,
      boolean ended) {

    /** "00:12.3 / 01:05.0 x2 PAUSED"; while seeking "00:03.1 >> 00:20.0 / 01:05.0 x2"; at the end "... ended". */
    public String label() {
      StringBuilder s = new StringBuilder(clock(positionNanos));
      if (seekingToNanos >= 0) {
        s.append(" >> ").append(clock(seekingToNanos));
      }
      if (lengthNanos >= 0) {
        s.append(" / ").append(clock(lengthNanos));
      }
      s.append(" x").append(BigDecimal.valueOf(speed).stripTrailingZeros().toPlainString());
      if (ended) {
        s.append(" ended");
      } else if (paused) {
        s.append(" PAUSED");
      }
      return s.toString();
    }

    /** mm:ss.d, or h:mm:ss.d from an hour on: tenths are what a tick-paced replay can resolve. */
    static String clock(long nanos) {
      long tenths = Math.max(0, nanos) / 100_000_000L;
      long seconds = tenths / 10;
      long hours = TimeUnit.SECONDS.toHours(seconds);
      String minSec = String.format("%02d:%02d.%d", seconds / 60 % 60, seconds % 60, tenths % 10);
      return hours > 0 ? hours + ":" + minSec : minSec;
    }
  }
}
