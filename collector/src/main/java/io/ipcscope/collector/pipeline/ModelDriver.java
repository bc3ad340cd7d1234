package io.ipcscope.collector.pipeline;

import static java.util.Objects.requireNonNull;

import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.PeerJoiner;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.function.Consumer;

/**
 * The model and its three inputs: kernel events, clock ticks, and the host's answers ({@link HostView}). Live
 * tracing and replay both drive the model through this class only, so given the same inputs in the same order they
 * build the same model and hand on the same events. Not thread-safe: one consumer thread owns it.
 */
public final class ModelDriver {

  private final ModelJournal journal;
  private final ProcessTable processes = new ProcessTable();
  private final ChannelTable channels;
  private final PeerJoiner joiner;
  private final ModelHousekeeping housekeeping;
  private final int seededProcesses;
  private final HostView host;

  /** Seeds the model from {@code host.snapshot()} now. */
  public ModelDriver(HostView host, long peerWaitNanos, Consumer<ResolvedEvent> downstream) {
    this(host, peerWaitNanos, downstream, ModelJournal.NONE);
  }

  /** As {@link #ModelDriver(HostView, long, Consumer)}, writing down every input to {@code journal} first. */
  public ModelDriver(HostView host, long peerWaitNanos, Consumer<ResolvedEvent> downstream, ModelJournal journal) {
    this.journal = requireNonNull(journal, "journal");
    HostView observed = journal.observe(requireNonNull(host, "host"));
    this.channels = new ChannelTable(new HostMappingNamer(observed), observed::stillHolds);
    this.seededProcesses = observed.snapshot().seed(processes, channels);
    this.host = observed;
    for (ProcessInfo p : processes.all()) {
      processes.seedDetails(p.pid(), observed.details(p.pid()));
    }
    this.joiner = new PeerJoiner(processes, channels, peerWaitNanos, requireNonNull(downstream, "downstream"));
    this.housekeeping = new ModelHousekeeping(processes, channels, observed);
  }

  /** One kernel event, in the order the ring buffer delivered it. */
  public void accept(IpcEvent e) {
    journal.event(e);
    joiner.accept(e);
    if (e.op() == Operation.EXEC && e.mechanism() == Mechanism.PROCESS) {
      // after the joiner learned the exec: /proc has the new program's owner and cgroup, if it is still there
      processes.execDetails(e, host.details(e.pid()));
    }
  }

  /** The clock moved to {@code nowNanos} (CLOCK_MONOTONIC): hands on events that waited long enough, keeps house. */
  public void tick(long nowNanos) {
    journal.tick(nowNanos);
    joiner.flush(nowNanos);
    housekeeping.maybeRun(nowNanos);
  }

  /** End of the stream: hands on everything still waiting for its peer. */
  public void drain() {
    journal.drain();
    joiner.drain();
  }

  public ProcessTable processes() {
    return processes;
  }

  public ChannelTable channels() {
    return channels;
  }

  /** How many processes the start snapshot had. */
  public int seededProcesses() {
    return seededProcesses;
  }

  /** Events not yet handed on. */
  public int queued() {
    return joiner.queued();
  }
}
