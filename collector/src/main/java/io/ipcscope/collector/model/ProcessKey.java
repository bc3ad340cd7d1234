package io.ipcscope.collector.model;

/**
 * A process identity that survives pid reuse: the pid plus its start time.
 *
 * <p>The kernel reports {@code start_boottime} in nanoseconds while /proc reports clock ticks, so identities are
 * compared at tick resolution (10 ms at USER_HZ 100): a pid cannot be reused within one tick.
 */
public record ProcessKey(int pid, long startTicks) {

  /** USER_HZ is 100 on every architecture Linux runs ipcscope on. */
  public static final long NANOS_PER_TICK = 10_000_000L;

  public static ProcessKey fromKernel(int pid, long startBoottimeNanos) {
    return new ProcessKey(pid, startBoottimeNanos / NANOS_PER_TICK);
  }
}
