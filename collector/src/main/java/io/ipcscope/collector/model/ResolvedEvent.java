package io.ipcscope.collector.model;

import io.ipcscope.probes.event.IpcEvent;

/**
 * A kernel event with both ends named: the actor's and the peer's command, the channel as users see it.
 *
 * @param peerPid the process at the other end; 0 when nobody could be named
 * @param peerComm empty when unknown
 * @param channel null for events without a channel (signals, process lifecycle)
 * @param path the FIFO's path, or the exec filename; empty when none is known
 * @param peerGuessed true when the peer is a holder of the other end that was never seen using it
 */
public record ResolvedEvent(
    IpcEvent event, String comm, int peerPid, String peerComm, ChannelKey channel, String path, boolean peerGuessed) {}
