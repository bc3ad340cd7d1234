package io.ipcscope.collector.record;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.collector.pipeline.HostView;
import java.util.Set;

/** A host whose every answer is written to a recording as it is given, so a replay can give it back. */
public final class RecordingHostView implements HostView {

  private final HostView host;
  private final RecordingWriter writer;

  private RecordingHostView(HostView host, RecordingWriter writer) {
    this.host = host;
    this.writer = writer;
  }

  public static HostView wrap(HostView host, RecordingWriter writer) {
    return new RecordingHostView(host, writer);
  }

  @Override
  public HostSnapshot snapshot() {
    HostSnapshot snapshot = host.snapshot();
    writer.snapshot(snapshot);
    return snapshot;
  }

  @Override
  public Set<ChannelKey> openChannels(int pid) {
    Set<ChannelKey> open = host.openChannels(pid);
    writer.openChannels(pid, open);
    return open;
  }

  @Override
  public boolean stillHolds(int pid, ChannelKey channel) {
    boolean holds = host.stillHolds(pid, channel);
    writer.holds(pid, channel, holds);
    return holds;
  }

  @Override
  public ProcessDetails details(int pid) {
    ProcessDetails details = host.details(pid);
    writer.details(pid, details);
    return details;
  }

  @Override
  public String mountPoint(int kernelDev) {
    String point = host.mountPoint(kernelDev);
    writer.mountPoint(kernelDev, point);
    return point;
  }
}
