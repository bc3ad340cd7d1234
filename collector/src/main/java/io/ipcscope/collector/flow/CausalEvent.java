package io.ipcscope.collector.flow;

import io.ipcscope.collector.model.ResolvedEvent;
import java.util.List;

/**
 * A resolved event with what caused it: for a consumer, the producers of what it took, in stream order. Handed on
 * in causal order: every producer before its consumers, and every thread's events in the order that thread did
 * them.
 *
 * @param unobservedBytes bytes the consumer took whose producer was not observed (0 for non-consumers)
 */
public record CausalEvent(ResolvedEvent resolved, Role role, List<Cause> causes, long unobservedBytes,
    Pairing pairing) {

  public CausalEvent {
    causes = List.copyOf(causes);
  }
}
