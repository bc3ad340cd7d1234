package io.ipcscope.collector.flow;

import io.ipcscope.collector.model.ResolvedEvent;
import java.util.List;

/**
 * A resolved event with what caused it: for a consumer, the producers of what it took, in stream order. Handed on
 * in causal order: every producer before its consumers, and every thread's events in the order that thread did
 * them.
 *
 * @param unobservedBytes bytes the consumer took whose producer was not observed (0 for non-consumers)
 * @param backlogBytes the fill level of a byte stream, as far as the records tell: after a write, the bytes written and
 *     not yet read; for a read, the bytes it found there (its own included); 0 otherwise
 */
public record CausalEvent(ResolvedEvent resolved, Role role, List<Cause> causes, long unobservedBytes,
    Pairing pairing, long backlogBytes) {

  public CausalEvent {
    causes = List.copyOf(causes);
  }
}
