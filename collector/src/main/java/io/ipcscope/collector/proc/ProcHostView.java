package io.ipcscope.collector.proc;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.collector.pipeline.HostView;
import java.nio.file.Path;
import java.util.Set;

/** The host as /proc shows it. */
public final class ProcHostView implements HostView {

  private final ProcScanner scanner;
  private final ProcHoldingCheck holdingCheck;
  private final ProcMountPoints mountPoints;

  ProcHostView(Path procRoot, Path mountinfo) {
    this.scanner = new ProcScanner(procRoot);
    this.holdingCheck = new ProcHoldingCheck(procRoot);
    this.mountPoints = new ProcMountPoints(mountinfo);
  }

  public static ProcHostView system() {
    return new ProcHostView(Path.of("/proc"), Path.of("/proc/self/mountinfo"));
  }

  @Override
  public HostSnapshot snapshot() {
    return scanner.snapshot();
  }

  @Override
  public Set<ChannelKey> openChannels(int pid) {
    return scanner.openChannels(pid);
  }

  @Override
  public boolean stillHolds(int pid, ChannelKey channel) {
    return holdingCheck.stillHolds(pid, channel);
  }

  @Override
  public ProcessDetails details(int pid) {
    return scanner.details(pid);
  }

  @Override
  public String mountPoint(int kernelDev) {
    return mountPoints.mountPoint(kernelDev);
  }
}
