package io.ipcscope.collector.model;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;

/** Builds kernel events for model tests: only the fields each op uses, the rest zero. */
public final class Events {

  private Events() {}

  public static IpcEvent pipeCreate(long ts, int pid, String comm, long inode, long flags) {
    return event(ts, pid, comm, Mechanism.PIPE, Operation.CREATE, inode, 0, 0, 0, flags, "");
  }

  public static IpcEvent pipeWrite(long ts, int pid, String comm, long inode, int bytes) {
    return event(ts, pid, comm, Mechanism.PIPE, Operation.WRITE, inode, 0, bytes, 0, 0, "");
  }

  public static IpcEvent pipeRead(long ts, int pid, String comm, long inode, int bytes) {
    return event(ts, pid, comm, Mechanism.PIPE, Operation.READ, inode, 0, bytes, 0, 0, "");
  }

  public static IpcEvent fifoOpen(long ts, int pid, String comm, int dev, long inode, int flags, String path) {
    return event(ts, pid, comm, Mechanism.FIFO, Operation.OPEN, inode, dev, 0, 0, flags, path);
  }

  public static IpcEvent fifoWrite(long ts, int pid, String comm, int dev, long inode, int bytes) {
    return event(ts, pid, comm, Mechanism.FIFO, Operation.WRITE, inode, dev, bytes, 0, 0, "");
  }

  public static IpcEvent fifoRead(long ts, int pid, String comm, int dev, long inode, int bytes) {
    return event(ts, pid, comm, Mechanism.FIFO, Operation.READ, inode, dev, bytes, 0, 0, "");
  }

  /** A successful send to a message queue: selector = the System V type or the POSIX priority. */
  public static IpcEvent queueSend(long ts, int pid, String comm, Mechanism queue, long id, int bytes, long selector) {
    IpcEvent e = event(ts, pid, comm, queue, Operation.SEND, id, 0, bytes, 0, selector, "");
    return withResult(e, 0);
  }

  public static IpcEvent queueReceive(long ts, int pid, String comm, Mechanism queue, long id, int bytes, long selector) {
    return event(ts, pid, comm, queue, Operation.RECEIVE, id, 0, bytes, 0, selector, "");
  }

  private static IpcEvent withResult(IpcEvent e, int result) {
    return new IpcEvent(e.tsNanos(), e.startNanos(), e.channelId(), e.bytes(), e.extra(), e.pid(), e.tid(),
        e.peerPid(), e.peerTid(), e.channelDev(), result, e.fd(), e.aux(), e.code(), e.mechanism(), e.op(),
        e.status(), e.comm(), e.syscallNr(), e.path());
  }

  /**
   * A Unix socket record as socket.bpf.h writes it: channel = the sending socket of a stream, the receiving socket of a
   * datagram socket (0: named only by {@code path}); extra = the other socket; status = the socket type.
   */
  public static IpcEvent unixSocket(long ts, int pid, Operation op, int type, long channel, long extra, int bytes,
      int peerPid, String path) {
    return new IpcEvent(ts, 1_000_000_000L, channel, bytes, extra, pid, pid, peerPid, 0, 0, bytes, 3, -1, 0,
        Mechanism.UNIX_SOCKET, op, type, "p" + pid, 0, path);
  }

  /** An mmap(MAP_SHARED) record: the file (dev, inode) mapped at address for length; path leaf first. */
  public static IpcEvent shmAttach(long ts, int pid, int dev, long inode, long address, long length, String leafFirstPath) {
    return new IpcEvent(ts, 1_000_000_000L, inode, length, address, pid, pid, 0, 0, dev, 0, 3, 3, 1,
        Mechanism.POSIX_SHM, Operation.ATTACH, 2, "p" + pid, 9, leafFirstPath);
  }

  public static IpcEvent shmDetach(long ts, int pid, int dev, long inode, long address, long length) {
    return new IpcEvent(ts, 1_000_000_000L, inode, length, address, pid, pid, 0, 0, dev, 0, -1, 0, 0,
        Mechanism.POSIX_SHM, Operation.DETACH, 0, "p" + pid, 11, "");
  }

  /** sem_post (delta +1) or sem_wait (-1) at address, as the libc uprobes record it. */
  public static IpcEvent semCall(long ts, int pid, long address, int delta) {
    return semCall(ts, pid, address, delta, 0);
  }

  /** As {@link #semCall}, when the kernel could not look up the mapping (status SEM_MAPPING_UNKNOWN, sem.bpf.c). */
  public static IpcEvent semCallMappingUnknown(long ts, int pid, long address, int delta) {
    return semCall(ts, pid, address, delta, 1);
  }

  private static IpcEvent semCall(long ts, int pid, long address, int delta, int status) {
    return new IpcEvent(ts, 1_000_000_000L, 0, 0, address, pid, pid, 0, 0, 0, 0, -1, delta > 0 ? 0 : 1, delta,
        Mechanism.SEM, delta > 0 ? Operation.POST : Operation.WAIT, status, "p" + pid, 0, "");
  }

  /** A loopback TCP record: from and to are packed endpoints (address << 16 | port). */
  public static IpcEvent tcp(long ts, int pid, Operation op, long from, long to, int bytes) {
    return new IpcEvent(ts, 1_000_000_000L, from, bytes, to, pid, pid, 0, 0, 0, bytes, 3, -1, 0,
        Mechanism.TCP, op, 1, "p" + pid, 0, "");
  }

  public static IpcEvent fork(long ts, int parent, String comm, int child) {
    return event(ts, parent, comm, Mechanism.PROCESS, Operation.FORK, 0, 0, 0, child, ts, "");
  }

  public static IpcEvent exec(long ts, int pid, String newComm, String path) {
    return event(ts, pid, newComm, Mechanism.PROCESS, Operation.EXEC, 0, 0, 0, 0, 0, path);
  }

  public static IpcEvent exit(long ts, int pid, String comm) {
    return event(ts, pid, comm, Mechanism.PROCESS, Operation.EXIT, 0, 0, 0, 0, 0, "");
  }

  private static IpcEvent event(long ts, int pid, String comm, Mechanism mechanism, Operation op, long inode, int dev,
      long bytes, int peer, long extra, String path) {
    return new IpcEvent(ts, 1_000_000_000L, inode, bytes, extra, pid, pid, peer, 0, dev, (int) bytes, 3, 0, 0,
        mechanism, op, 0, comm, 0, path);
  }
}
