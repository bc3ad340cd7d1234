package io.ipcscope.collector.talk;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.SignalNames;

/**
 * One signal number sent by one process to another, and what became of those signals, at a point in time. Times are
 * CLOCK_MONOTONIC nanoseconds.
 *
 * <p>Every send or kernel generation is counted once in {@code sent} and once in exactly one outcome, as the
 * kernel's signal_generate reported it: {@code sent == queued + ignored + merged + failed}. {@code delivered} counts
 * the target's deliveries (it ran a handler, or a default action that does not kill it); a signal whose default
 * action kills its target is queued and never delivered.
 *
 * @param from the sender; pid 0 for the kernel (a timer, a fault with no process to blame)
 * @param queued put on the target's queue (signal_generate said delivered or lose_info, or it is blocked)
 * @param blocked of {@code queued}, those the target blocked at the time: they wait for it to unblock them
 * @param ignored discarded, the target ignoring the signal
 * @param merged a standard signal already pending at the target: it folds into that one
 * @param failed refused: the syscall failed (EPERM, ESRCH...) or the realtime queue was full
 * @param latencyCount deliveries paired with their send: generate→deliver is measured on those
 */
public record SignalFlow(ProcessKey from, ProcessKey to, int signal, long sent, long queued, long blocked,
    long ignored, long merged, long failed, long delivered, long firstNanos, long lastNanos, long latencyCount,
    long latencySumNanos, long latencyMaxNanos) {

  /** What tells one flow from another. */
  public record Key(ProcessKey from, ProcessKey to, int signal) {}

  public Key key() {
    return new Key(from, to, signal);
  }

  /** {@code SIGUSR1}, {@code SIGRTMIN+3}: as {@code kill -l} names it on x86_64 Linux. */
  public String name() {
    return SignalNames.name(signal);
  }

  /** Mean generate→deliver latency in nanoseconds, 0 when none was measured. */
  public long latencyMeanNanos() {
    return latencyCount == 0 ? 0 : latencySumNanos / latencyCount;
  }
}
