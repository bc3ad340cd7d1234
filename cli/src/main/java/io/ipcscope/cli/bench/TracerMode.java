package io.ipcscope.cli.bench;

/** One way of watching the ping-pong: nothing, ipcscope in either mode, or another tool for comparison. */
interface TracerMode extends AutoCloseable {

  String name();

  /** Starts watching the given processes (or the host); returns once the tracer is live. */
  void start(long driverPid, long pongPid) throws Exception;

  /** Forgets what was counted so far (warm-up). */
  default void resetCounts() {}

  /** A note for the table, such as events seen and lost; empty when there is none. */
  default String note() {
    return "";
  }

  @Override
  void close() throws Exception;
}
