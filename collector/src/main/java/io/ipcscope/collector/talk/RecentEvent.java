package io.ipcscope.collector.talk;

import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;

/**
 * One operation as the dashboard lists it: who did what to which channel, and for a consumer, whose data it took and
 * how long that data waited. Small and immutable, so the last few thousand can be kept and handed to other threads.
 *
 * @param seq the collector's count of operations handed on, from 1: a client asks for those after the last it has
 * @param tsNanos CLOCK_MONOTONIC (the live socket writes epoch nanoseconds)
 * @param channel null for signals and process events
 * @param bytes bytes moved (0 for signals, semaphores, locks)
 * @param source for a consumer, the process whose data it took first (its edge's {@code from}); pid 0 when that
 *     write was not observed; for a consumer whose producer was not observed, the peer the collector named (start
 *     time 0); null for anything else
 * @param peerPid the other end as the collector named it (the target of a signal, a socket's peer); 0 when unknown
 * @param latencyNanos for a consumer, how long its first byte waited (producer done to consumer done); -1 otherwise
 * @param signal the signal number of a signal event, 0 otherwise
 * @param result the syscall's result: {@code >= 0}, or {@code -errno}
 * @param traceId the trace the operation's span belongs to; empty when no spans are made
 */
public record RecentEvent(long seq, long tsNanos, ProcessKey actor, String comm, int tid, Mechanism mechanism,
    Operation op, Role role, ChannelKey channel, long bytes, ProcessKey source, int peerPid,
    String peerComm, long latencyNanos, int signal, int result, String traceId) {

  /** Whether this operation moved something along {@code edge}: its producer's sends, its consumer's takes. */
  public boolean on(EdgeKey edge) {
    if (mechanism != edge.mechanism() || !java.util.Objects.equals(channel, edge.channel())) {
      return false;
    }
    if (role == Role.CONSUMER) {
      // A consumer whose producer was not observed names its peer by pid alone.
      return actor.equals(edge.to()) && source != null
          && (edge.from().equals(source) || latencyNanos < 0 && edge.from().pid() == source.pid());
    }
    if (role == Role.PRODUCER) {
      return actor.equals(edge.from()) && (mechanism != Mechanism.SIGNAL || peerPid == edge.to().pid());
    }
    // Shared memory, semaphores and locks: an undirected edge is every use of the object by either end.
    return actor.equals(edge.from()) || actor.equals(edge.to());
  }
}
