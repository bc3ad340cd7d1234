package io.ipcscope.collector.model;

/**
 * Whether a process still holds a channel it was seen to come by. Closes are not traced, so a holding learned from a
 * fork may be stale: a child that inherited a pipe end and closed it before exec (as the JDK's children close every
 * descriptor above 2) still holds it in the model. Guesses from holdings ask this first.
 */
@FunctionalInterface
public interface HoldingCheck {

  /** Believes the model: nothing to check against. */
  HoldingCheck TRUST = (pid, channel) -> true;

  /** False when {@code pid} is known not to hold {@code channel} any more; true when it does or nobody can tell. */
  boolean stillHolds(int pid, ChannelKey channel);
}
