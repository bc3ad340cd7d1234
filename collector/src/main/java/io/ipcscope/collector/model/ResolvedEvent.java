package io.ipcscope.collector.model;

import io.ipcscope.probes.event.IpcEvent;
import java.util.List;

/**
 * A kernel event with both ends named: the actor's and the peer's command, the channel as users see it.
 *
 * @param peerPid the process at the other end; 0 when nobody could be named
 * @param peerComm empty when unknown
 * @param channel null for events without a channel (signals, process lifecycle)
 * @param path the FIFO's path, or the exec filename; empty when none is known
 * @param peerGuessed true when the peer is a holder of the other end that was never seen using it
 * @param waitedNanos how long the operation waited for its peer, when that is known: a received message's time in
 *     its queue (since its send), a lock acquire's sleep (since its first wait); 0 otherwise
 * @param sharedWith for a shared-memory attach: the other processes that have the object mapped, ascending
 * @param matched for a receive, the send of the very message it took; for a descriptor's receipt, its send; null
 *     when there is none or it was not seen
 */
public record ResolvedEvent(IpcEvent event, String comm, int peerPid, String peerComm, ChannelKey channel,
    String path, boolean peerGuessed, long waitedNanos, List<Integer> sharedWith, IpcEvent matched) {

  public ResolvedEvent {
    sharedWith = List.copyOf(sharedWith);
  }

  /** An event not paired with a send. */
  public ResolvedEvent(IpcEvent event, String comm, int peerPid, String peerComm, ChannelKey channel, String path,
      boolean peerGuessed, long waitedNanos, List<Integer> sharedWith) {
    this(event, comm, peerPid, peerComm, channel, path, peerGuessed, waitedNanos, sharedWith, null);
  }

  /** An event on a channel that is not shared memory. */
  public ResolvedEvent(IpcEvent event, String comm, int peerPid, String peerComm, ChannelKey channel, String path,
      boolean peerGuessed, long waitedNanos) {
    this(event, comm, peerPid, peerComm, channel, path, peerGuessed, waitedNanos, List.of());
  }

  /** An event for which no wait is known. */
  public ResolvedEvent(IpcEvent event, String comm, int peerPid, String peerComm, ChannelKey channel, String path,
      boolean peerGuessed) {
    this(event, comm, peerPid, peerComm, channel, path, peerGuessed, 0);
  }
}
