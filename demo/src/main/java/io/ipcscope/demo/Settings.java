package io.ipcscope.demo;

import java.nio.file.Path;

/**
 * The options every workload takes, validated.
 *
 * @param messages records to send; ignored when {@code durationSeconds > 0}
 * @param size payload bytes per record
 * @param rate records per second, 0 = as fast as possible
 * @param durationSeconds continuous mode: keep going this long; 0 = send {@code messages} records
 * @param truth where to write the ground truth JSON, or null
 */
public record Settings(
    int messages, int size, double rate, double durationSeconds, /* @Nullable */ Path truth, boolean quiet) {

  public static final int MAX_SIZE = 16 << 20;

  public Settings {
    if (messages < 1) {
      throw new IllegalArgumentException("--messages must be at least 1, got " + messages);
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("--size must be between 1 and " + MAX_SIZE + " bytes, got " + size);
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException("--rate must be 0 (as fast as possible) or a positive number, got " + rate);
    }
    if (!(durationSeconds >= 0) || durationSeconds > 31_536_000) {
      throw new IllegalArgumentException("--duration must be between 0 and one year in seconds, got " + durationSeconds);
    }
  }

  public static Settings of(int messages, int size) {
    return new Settings(messages, size, 0, 0, null, true);
  }

  /** True when the workload runs for {@link #durationSeconds} instead of a message count. */
  public boolean continuous() {
    return durationSeconds > 0;
  }
}
