package io.ipcscope.collector.record;

import io.ipcscope.collector.pipeline.ModelDriver;

/** What a replay reports besides resolved events, each at its place in the stream. */
public interface ReplayListener {

  ReplayListener NONE = new ReplayListener() {};

  /** The model is seeded from the snapshot; no event has been replayed yet. */
  default void started(RecordingHeader header, ModelDriver driver) {}

  /** The kernel dropped {@code count} events, noticed at {@code nanos} (CLOCK_MONOTONIC). */
  default void lost(long nanos, long count) {}

  /** The clock passed {@code nanos} (CLOCK_MONOTONIC), after the model's own tick at that time. */
  default void tick(long nanos) {}

  /** A note the recording tool wrote ({@link RecordingWriter#note}). */
  default void note(String key, String value) {}
}
