package io.ipcscope.collector.record;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.collector.pipeline.HostView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A host with fixed answers that writes down every question, for checking that a replay never asks it. */
final class FakeHost implements HostView {

  final List<String> questions = new ArrayList<>();
  private final HostSnapshot snapshot;

  FakeHost(HostSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  /** sh[10] holds both ends of pipe 77, cat[11] its read end. */
  static FakeHost shellAndCat() {
    return new FakeHost(new HostSnapshot(
        List.of(new ProcessInfo(new ProcessKey(10, 5), 1, "sh", "/bin/sh", 0, 0),
            new ProcessInfo(new ProcessKey(11, 6), 10, "cat", "/bin/cat", 0, 0)),
        List.of(new HostSnapshot.Holding(ChannelKey.pipe(77), 10, true, true, ""),
            new HostSnapshot.Holding(ChannelKey.pipe(77), 11, true, false, ""))));
  }

  @Override
  public HostSnapshot snapshot() {
    questions.add("snapshot");
    return snapshot;
  }

  /** Only pipe 77 is still open: pid 10's other holdings are gone. */
  @Override
  public Set<ChannelKey> openChannels(int pid) {
    questions.add("open " + pid);
    return Set.of(ChannelKey.pipe(77));
  }

  /** Pid 11 closed everything; the rest hold what the model says. */
  @Override
  public boolean stillHolds(int pid, ChannelKey channel) {
    questions.add("holds " + pid + " " + channel);
    return pid != 11;
  }

  @Override
  public ProcessDetails details(int pid) {
    questions.add("details " + pid);
    return new ProcessDetails("prog --pid " + pid, 1000, "/system.slice/p" + pid + ".scope");
  }

  @Override
  public String mountPoint(int kernelDev) {
    questions.add("mount " + kernelDev);
    return "/dev/shm";
  }
}
