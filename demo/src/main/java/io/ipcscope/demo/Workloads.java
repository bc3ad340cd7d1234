package io.ipcscope.demo;

import java.util.List;
import java.util.Optional;

/** The registry of workloads, in {@code demo --list} order. A new workload is one line here. */
public final class Workloads {

  private static final List<Workload> ALL =
      List.of(
          new PipeWorkload(),
          new FifoWorkload(),
          new SignalWorkload(),
          new SysvMqWorkload(),
          new PosixMqWorkload(),
          new FileLockWorkload(),
          new UnixSocketWorkload(),
          new FdPassingWorkload(),
          new TcpWorkload(),
          new UdpWorkload(),
          new PosixShmWorkload(),
          new SysvShmWorkload(),
          new MmapFileWorkload(),
          new AllWorkload());

  private Workloads() {}

  public static List<Workload> all() {
    return ALL;
  }

  public static Optional<Workload> find(String name) {
    return ALL.stream().filter(w -> w.name().equals(name)).findFirst();
  }
}
