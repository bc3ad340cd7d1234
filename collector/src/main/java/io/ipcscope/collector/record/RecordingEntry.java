package io.ipcscope.collector.record;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.probes.event.IpcEvent;
import java.util.Set;

/** One record of a recording after its header, as {@link RecordingReader} returns it. */
public sealed interface RecordingEntry {

  /** The host at start: the model is seeded from it. */
  record Snapshot(HostSnapshot snapshot) implements RecordingEntry {}

  /** One kernel event. */
  record Event(IpcEvent event) implements RecordingEntry {}

  /** The model's clock moved to {@code nanos} (CLOCK_MONOTONIC). */
  record Tick(long nanos) implements RecordingEntry {}

  /** The kernel dropped {@code count} events (ring buffer full), noticed at {@code nanos}. */
  record Lost(long nanos, long count) implements RecordingEntry {}

  /** The stream ended: everything still waiting was handed on. */
  record Drain() implements RecordingEntry {}

  /** Something the recording tool wrote down for its own replay (the pid a traced command got, say). */
  record Note(String key, String value) implements RecordingEntry {}

  /** The host's answer to {@code HostView.stillHolds}. */
  record Holds(int pid, ChannelKey channel, boolean holds) implements RecordingEntry {}

  /** The host's answer to {@code HostView.openChannels}. */
  record OpenChannels(int pid, Set<ChannelKey> open) implements RecordingEntry {
    public OpenChannels {
      open = Set.copyOf(open);
    }
  }

  /** The host's answer to {@code HostView.mountPoint}. */
  record MountPoint(int kernelDev, String mountPoint) implements RecordingEntry {}

  /** The host's answer to {@code HostView.details}. */
  record Details(int pid, ProcessDetails details) implements RecordingEntry {}

  /** The recording was closed properly after {@code records} records (this one and the header included). */
  record End(long records) implements RecordingEntry {}
}
