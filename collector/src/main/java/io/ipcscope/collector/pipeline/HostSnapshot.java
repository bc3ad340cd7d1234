package io.ipcscope.collector.pipeline;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.model.ProcessTable;
import java.util.List;
import java.util.Objects;

/**
 * What existed before tracing started: the processes, and every pipe or FIFO end each of them held.
 *
 * @param processes in the order they were found
 * @param holdings in the order they were found (the tables keep the first path seen of a channel)
 */
public record HostSnapshot(List<ProcessInfo> processes, List<Holding> holdings) {

  public static final HostSnapshot EMPTY = new HostSnapshot(List.of(), List.of());

  public HostSnapshot {
    processes = List.copyOf(processes);
    holdings = List.copyOf(holdings);
  }

  /**
   * One open end of a channel in a process's fd table.
   *
   * @param path the FIFO's path; empty for a pipe
   */
  public record Holding(ChannelKey channel, int pid, boolean canRead, boolean canWrite, String path) {
    public Holding {
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(path, "path");
    }
  }

  /** Seeds both tables; returns the number of processes. */
  public int seed(ProcessTable processTable, ChannelTable channelTable) {
    for (Holding h : holdings) {
      channelTable.seed(h.channel(), h.pid(), h.canRead(), h.canWrite(), h.path());
    }
    processTable.seed(processes);
    return processes.size();
  }
}
