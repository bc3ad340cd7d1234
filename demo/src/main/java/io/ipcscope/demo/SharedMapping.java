package io.ipcscope.demo;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A shared mapping of this process: a file or POSIX shared memory object mapped MAP_SHARED (one
 * mmap call), or an attached System V segment (one shmat call). {@link #buffer} is the memory, in
 * native byte order; {@link #close} unmaps it (munmap or shmdt). The buffer must not be used after.
 */
final class SharedMapping implements AutoCloseable {

  private final String what;
  private final Pointer address;
  private final long size;
  private final int shmid;
  private final ByteBuffer buffer;
  private boolean closed;

  private SharedMapping(String what, Pointer address, long size, int shmid) {
    this.what = what;
    this.address = address;
    this.size = size;
    this.shmid = shmid;
    this.buffer = address.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
  }

  /** Maps the whole POSIX shared memory object {@code name} ("/x", {@code size} bytes): shm_open, mmap, close. */
  static SharedMapping posix(String name, long size) {
    int fd = SharedMemoryLibc.shmOpen(name, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
    return mapAndClose(fd, size, "shm " + name);
  }

  /** Maps the whole regular file {@code path} ({@code size} bytes): open, mmap, close. */
  static SharedMapping file(Path path, long size) {
    int fd = Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
    return mapAndClose(fd, size, path.toString());
  }

  private static SharedMapping mapAndClose(int fd, long size, String what) {
    Pointer address;
    try {
      address = SharedMemoryLibc.mmapShared(fd, size, what);
    } finally {
      SharedMemoryLibc.close(fd, what); // The mapping keeps the object.
    }
    return new SharedMapping(what, address, size, -1);
  }

  /** Attaches System V segment {@code shmid} of {@code size} bytes: one shmat. */
  static SharedMapping sysv(int shmid, long size) {
    return new SharedMapping("segment " + shmid, SharedMemoryLibc.shmat(shmid), size, shmid);
  }

  ByteBuffer buffer() {
    return buffer;
  }

  long size() {
    return size;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (shmid >= 0) {
      SharedMemoryLibc.shmdt(address, shmid);
    } else {
      SharedMemoryLibc.munmap(address, size, what);
    }
  }
}
