package io.ipcscope.tui;

import io.ipcscope.collector.talk.SignalFlow;

/**
 * One signal flow as the Signals view shows it: a sender, a target and a signal number.
 *
 * @param from {@code comm[pid]} of the sender, {@code [kernel]} for a signal the kernel raised itself
 * @param signal its name: {@code SIGTERM}, {@code SIGRTMIN+3}
 * @param sentPerSec sends per second between the last two frames
 * @param outcome what kept sent signals from the target's queue, and blocked ones: {@code 2 ignored, 1 merged};
 *     empty when every one was queued unblocked
 * @param lastAgoNanos how long before the frame the flow was last active
 * @param fresh first seen in the last {@link TopModel#FRESH_NANOS}
 * @param faded no activity for {@link TopModel#FADE_NANOS}
 */
public record SignalRow(SignalFlow.Key key, String from, String to, String signal, double sentPerSec, long sent,
    long delivered, long latencyMeanNanos, long latencyMaxNanos, String outcome, long lastAgoNanos, boolean fresh,
    boolean faded) implements TopRow {

  @Override
  public Object id() {
    return key;
  }
}
