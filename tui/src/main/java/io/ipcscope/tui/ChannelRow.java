package io.ipcscope.tui;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.probes.event.Mechanism;

/**
 * One channel as the Channels view shows it.
 *
 * @param endpoints the processes at its ends by role: {@code writer head[12], reader cat[13]}
 */
public record ChannelRow(ChannelKey key, String channel, Mechanism mechanism, String endpoints, double bytesPerSec,
    long bytes, long messages, long maxBacklogBytes) implements TopRow {

  @Override
  public Object id() {
    return key;
  }
}
