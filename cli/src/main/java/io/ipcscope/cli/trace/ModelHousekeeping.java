package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.proc.ProcScanner;

/**
 * Keeps the process and channel model from growing on a long run: forgets processes and writers that exited a while
 * ago, and checks processes that seem to hold many pipes against their real fd tables (closes are not traced).
 * Cheap to call often: it does its work at most once a second, the /proc check once every ten.
 */
final class ModelHousekeeping {

  /** How long a writer's bytes may sit in a pipe after it exits and still be attributed to it. */
  private static final long EXITED_WRITER_RETENTION_NANOS = 10_000_000_000L;
  private static final long PRUNE_NANOS = 1_000_000_000L;
  private static final long RECONCILE_NANOS = 10_000_000_000L;
  private static final int HEAVY_HOLDER_CHANNELS = 32;

  private final ProcessTable processes;
  private final ChannelTable channels;
  private long lastPrune;
  private long lastReconcile;

  ModelHousekeeping(ProcessTable processes, ChannelTable channels) {
    this.processes = processes;
    this.channels = channels;
    this.lastPrune = System.nanoTime();
    this.lastReconcile = lastPrune;
  }

  void maybeRun(long nowNanos) {
    if (nowNanos - lastPrune < PRUNE_NANOS) {
      return;
    }
    lastPrune = nowNanos;
    processes.prune(nowNanos);
    channels.prune(nowNanos, EXITED_WRITER_RETENTION_NANOS);
    if (nowNanos - lastReconcile >= RECONCILE_NANOS) {
      lastReconcile = nowNanos;
      for (int holder : channels.heavyHolders(HEAVY_HOLDER_CHANNELS)) {
        channels.retainHoldings(holder, ProcScanner.system().openChannels(holder));
      }
    }
  }
}
