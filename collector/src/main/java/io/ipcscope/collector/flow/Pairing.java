package io.ipcscope.collector.flow;

/** How much of what a consumer took is known to come from observed producers. */
public enum Pairing {
  /** Everything, from producers seen on a channel observed since it was created: the offsets are exact. */
  EXACT,
  /**
   * Everything is attributed to observed producers, but the channel existed before tracing began (or before its
   * first record), so bytes written earlier may have been in it: the attribution assumes it was empty.
   */
  ASSUMED,
  /** Some of it came from producers that were not observed (lost, filtered, or before tracing). */
  PARTIAL,
  /** None of it: its producer was not observed. */
  UNOBSERVED,
  /** The event is not a consumer. */
  NONE
}
