package io.ipcscope.collector.record;

import java.io.IOException;

/**
 * A recording that ends early or holds bytes no writer writes, at {@code byteOffset} (the start of the record that
 * could not be read, counted from the start of the file) in its record number {@code record} (from 1, the header
 * being record 1). Every record before it is good.
 */
public final class DamagedRecordingException extends IOException {

  private final long byteOffset;
  private final long record;
  private final boolean truncated;

  DamagedRecordingException(long byteOffset, long record, boolean truncated, String detail) {
    super("recording " + (truncated ? "truncated" : "corrupt") + " at byte " + byteOffset + " (record " + record + ")"
        + (detail.isEmpty() ? "" : ": " + detail));
    this.byteOffset = byteOffset;
    this.record = record;
    this.truncated = truncated;
  }

  public long byteOffset() {
    return byteOffset;
  }

  public long record() {
    return record;
  }

  /** True when the file just ends early (a tracer killed mid-write); false for bytes that make no sense. */
  public boolean truncated() {
    return truncated;
  }
}
