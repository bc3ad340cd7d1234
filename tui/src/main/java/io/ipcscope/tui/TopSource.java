package io.ipcscope.tui;

import java.util.Optional;

/** Where the dashboard's frames come from. Polled from the dashboard's thread; must not block for long. */
public interface TopSource extends AutoCloseable {

  /** The newest frame since the last call, or empty when nothing new was published. */
  Optional<TopFrame> poll();

  /** One line for the status bar: "probes: 14 attached", "collector /run/ipcscope/collector.sock". */
  String describe();

  /** The controls of a source that plays a recording (pause, seek, speed); live sources have none. */
  default Optional<Playback> playback() {
    return Optional.empty();
  }

  @Override
  default void close() {}
}
