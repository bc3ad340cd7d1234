package io.ipcscope.collector.record;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;

/** Kernel events for recording tests. */
final class TestEvents {

  private TestEvents() {}

  static IpcEvent pipe(long ts, int pid, String comm, Operation op, long inode, long bytes) {
    return new IpcEvent(ts, 5 * 10_000_000L, inode, bytes, 0, pid, pid, 0, 0, 0, (int) bytes, 1, 0, 0,
        Mechanism.PIPE, op, 0, comm, op == Operation.WRITE ? 1 : 0, "");
  }

  static IpcEvent shmAttach(long ts, int pid, int dev, long inode, String leafFirstPath) {
    return new IpcEvent(ts, 5 * 10_000_000L, inode, 4096, 0x7f00_0000_0000L, pid, pid, 0, 0, dev, 0, 3, 3, 1,
        Mechanism.POSIX_SHM, Operation.ATTACH, 2, "sh", 9, leafFirstPath);
  }
}
