package io.ipcscope.tui;

import io.ipcscope.probes.event.Mechanism;

/**
 * One channel as the Channels view shows it.
 *
 * @param endpoints the processes at its ends by role: {@code writer head[12], reader cat[13]}
 */
public record ChannelRow(String channel, Mechanism mechanism, String endpoints, double bytesPerSec, long bytes,
    long messages, long maxBacklogBytes) implements TopRow {}
