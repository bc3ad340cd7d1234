package io.ipcscope.collector.pipeline;

import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ProcessTable;

/**
 * Keeps the process and channel model from growing on a long run: forgets processes and writers that exited a while
 * ago, and checks processes that seem to hold many pipes against their real fd tables (closes are not traced).
 * Cheap to call often: it does its work at most once a second, the host check once every ten. Time is only what the
 * caller passes, never read here, so a replay of the same calls does the same work.
 */
public final class ModelHousekeeping {

  /** How long a writer's bytes may sit in a pipe after it exits and still be attributed to it. */
  private static final long EXITED_WRITER_RETENTION_NANOS = 10_000_000_000L;
  private static final long PRUNE_NANOS = 1_000_000_000L;
  private static final long RECONCILE_NANOS = 10_000_000_000L;
  private static final int HEAVY_HOLDER_CHANNELS = 32;

  private final ProcessTable processes;
  private final ChannelTable channels;
  private final HostView host;
  private boolean started;
  private long lastPrune;
  private long lastReconcile;

  public ModelHousekeeping(ProcessTable processes, ChannelTable channels, HostView host) {
    this.processes = processes;
    this.channels = channels;
    this.host = host;
  }

  /** Prunes and reconciles when due; the first call only starts the clock. */
  public void maybeRun(long nowNanos) {
    if (!started) {
      started = true;
      lastPrune = nowNanos;
      lastReconcile = nowNanos;
      return;
    }
    if (nowNanos - lastPrune < PRUNE_NANOS) {
      return;
    }
    lastPrune = nowNanos;
    processes.prune(nowNanos);
    channels.prune(nowNanos, EXITED_WRITER_RETENTION_NANOS);
    if (nowNanos - lastReconcile >= RECONCILE_NANOS) {
      lastReconcile = nowNanos;
      for (int holder : channels.heavyHolders(HEAVY_HOLDER_CHANNELS)) {
        channels.retainHoldings(holder, host.openChannels(holder));
      }
    }
  }
}
