package io.ipcscope.collector.pipeline;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import java.util.Set;

/**
 * Everything the model asks the host rather than learns from kernel events. The live implementation reads /proc
 * ({@code ProcHostView}); a recording journals every answer and a replay gives the same answers back, so the model
 * is a deterministic function of the event stream plus these answers.
 */
public interface HostView {

  /** The processes and held pipe/FIFO ends that existed before tracing started. */
  HostSnapshot snapshot();

  /** The pipes and FIFOs {@code pid} has open now; empty if it is gone or not ours to read. */
  Set<ChannelKey> openChannels(int pid);

  /** False when {@code pid} is known not to hold {@code channel} any more; true when it does or nobody can tell. */
  boolean stillHolds(int pid, ChannelKey channel);

  /** The command line, real uid and cgroup of {@code pid} now; {@link ProcessDetails#UNKNOWN} when it is gone. */
  ProcessDetails details(int pid);

  /** Where the filesystem of {@code kernelDev} (kernel encoding) is mounted; "" when unknown. */
  String mountPoint(int kernelDev);
}
