package io.ipcscope.collector.talk;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.probes.event.Mechanism;

/**
 * Who talks to whom, over what: from the writer or sender to the reader or receiver. An undirected edge (shared
 * memory) has its two ends in ascending pid order.
 *
 * @param channel null for signals (a signal goes to a process, not through an object)
 */
public record EdgeKey(ProcessKey from, ProcessKey to, Mechanism mechanism, ChannelKey channel) {}
