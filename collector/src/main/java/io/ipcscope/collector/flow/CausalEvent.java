package io.ipcscope.collector.flow;

import io.ipcscope.collector.model.ResolvedEvent;
import java.util.List;

/**
 * A resolved event with what caused it: for a consumer, the producers of what it took, in stream order. Handed on
 * in causal order: every producer before its consumers, and every thread's events in the order that thread did
 * them.
 *
 * @param unobservedBytes bytes the consumer took whose producer was not observed (0 for non-consumers)
 * @param backlogBytes for a byte stream's write or read: the bytes written and not yet read once it was done, as far
 *     as the records tell (the pipe's or socket's fill level); 0 otherwise
 */
public record CausalEvent(ResolvedEvent resolved, Role role, List<Cause> causes, long unobservedBytes,
    Pairing pairing, long backlogBytes) {

  public CausalEvent {
    causes = List.copyOf(causes);
  }
}
