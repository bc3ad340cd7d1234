package io.ipcscope.agent.capture;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Mapped files and file locks taken through {@code FileChannel}: {@code map} ({@code posix_shm} for a file under
 * /dev/shm, {@code mmap} for any other), {@code lock}, {@code trylock}, {@code unlock} ({@code file_lock}). All are
 * rare and cost a system call or more, so each reports what the kernel calls the file: its /proc/self/fd name and
 * inode, read once per descriptor and kept here.
 */
final class FileOps {

  private static final String SHM_DIR = "/dev/shm/";

  private final OpQueue queue;
  private final TraceContexts contexts;
  /** The files mapped or locked, by descriptor; apart from the channels whose reads and writes are reported. */
  private final FdTable files = new FdTable();

  FileOps(OpQueue queue, TraceContexts contexts) {
    this.queue = queue;
    this.contexts = contexts;
  }

  void mapped(FileDescriptor fd, String path, String mode, long position, long size, long startNanos) {
    ChannelRef file = file(fd, path);
    queue.offer(new IpcOp(file.channel.startsWith(SHM_DIR) ? "posix_shm" : "mmap", "map", file.channel, size, 0,
        NativeThreads.current(), startNanos, System.nanoTime(), contexts.current(), "ipc.map.mode", mode,
        "ipc.map.offset", Long.toString(position), "ipc.map.size", Long.toString(size), "ipc.inode", inode(file)));
  }

  void locked(FileDescriptor fd, String path, long position, long size, boolean shared, boolean tryLock,
      boolean acquired, long startNanos) {
    ChannelRef file = file(fd, path);
    long end = System.nanoTime();
    IpcOp.Parent parent = contexts.current();
    String start = Long.toString(position);
    queue.offer(tryLock
        ? new IpcOp("file_lock", "trylock", file.channel, -1, 0, NativeThreads.current(), startNanos, end, parent,
            "ipc.lock.range_start", start, "ipc.lock.range_end", rangeEnd(position, size), "ipc.lock.shared",
            Boolean.toString(shared), "ipc.lock.acquired", Boolean.toString(acquired), "ipc.inode", inode(file))
        : new IpcOp("file_lock", "lock", file.channel, -1, 0, NativeThreads.current(), startNanos, end, parent,
            "ipc.lock.range_start", start, "ipc.lock.range_end", rangeEnd(position, size), "ipc.lock.shared",
            Boolean.toString(shared), "ipc.inode", inode(file)));
  }

  void unlocked(FileDescriptor fd, String path, long position, long size, boolean shared, long startNanos) {
    ChannelRef file = file(fd, path);
    queue.offer(new IpcOp("file_lock", "unlock", file.channel, -1, 0, NativeThreads.current(), startNanos,
        System.nanoTime(), contexts.current(), "ipc.lock.range_start", Long.toString(position),
        "ipc.lock.range_end", rangeEnd(position, size), "ipc.lock.shared", Boolean.toString(shared), "ipc.inode",
        inode(file)));
  }

  /** The last byte locked, as the kernel's lock tracepoints say it: {@code eof} for a lock to the end of the file. */
  static String rangeEnd(long position, long size) {
    // the JDK asks the kernel for l_len 0 (to the end, however far it grows) exactly when size is Long.MAX_VALUE
    return size == Long.MAX_VALUE ? "eof" : Long.toString(position + size - 1);
  }

  private ChannelRef file(FileDescriptor fd, String path) {
    int number = JdkAccess.number(fd);
    ChannelRef known = files.lookup(fd, number);
    if (known != null) {
      return known;
    }
    String name = ProcFd.name(number);
    ChannelRef file = new ChannelRef(fd, "file", name != null ? name : path != null ? path : "", 0, false,
        "ipc.inode", inodeOf(number));
    files.register(number, file);
    return file;
  }

  private static String inode(ChannelRef file) {
    return file.attributes[1];
  }

  /** The inode of what the descriptor has open, even once unlinked: /proc's link is followed as fstat would. */
  static String inodeOf(int fd) {
    try {
      return String.valueOf(Files.getAttribute(Paths.get("/proc/self/fd/" + fd), "unix:ino"));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
