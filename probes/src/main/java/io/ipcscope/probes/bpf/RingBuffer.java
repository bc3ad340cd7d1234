package io.ipcscope.probes.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Consumer of a {@code BPF_MAP_TYPE_RINGBUF} map, read straight from its memory: no native call per record.
 *
 * <p>The map is mapped once: the consumer page read-write at offset 0, then the producer page and the data read-only
 * at offset one page, with the data mapped twice by the kernel so that a record that wraps around is contiguous.
 * Positions are read with acquire and the consumer position written with release semantics, as the kernel's
 * producer expects; each record starts with a u32 length carrying a BUSY bit (not yet committed: stop there) and a
 * DISCARD bit (skip), then a u32 page offset, and records are 8-byte aligned.
 *
 * <p>epoll watches the ring edge-triggered: {@link #await} sleeps until the producers' next wake-up (they force one
 * when the waiting data crosses their threshold) even when a few records wait. Level-triggered, it returned at once
 * whenever any record waited, so a consumer that kept up chased the producer record by record, and every record it
 * read while the producer was writing the next one cost the producer a cache-line transfer between CPUs (about 80 ns
 * per pipe syscall here).
 *
 * <p>Single consumer: {@link #drain} and {@link #await} must be called from one thread at a time. {@link #close()}
 * must not run concurrently with them (it unmaps the memory they read).
 */
public final class RingBuffer implements AutoCloseable {
  private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int BUSY_BIT = 1 << 31;
  private static final int DISCARD_BIT = 1 << 30;
  private static final int HEADER = 8;

  /** Receives each committed record; {@code data} is valid only during the call. */
  @FunctionalInterface
  public interface RecordHandler {
    /**
     * @param data the ring's memory (little-endian); read with absolute gets only
     * @param offset index of the record's first byte in {@code data}
     * @param length the record's length in bytes (as reserved by the BPF program)
     */
    void onRecord(ByteBuffer data, int offset, int length);
  }

  private final String name;
  private final int pageSize;
  private final int size;
  private final long mask;
  private final long releaseEvery;
  private Pointer consumerMem;
  private Pointer producerMem;
  private final ByteBuffer consumer;
  private final ByteBuffer data;
  private int epollFd = -1;
  private final Memory epollEvents = new Memory(12 * 4);
  private long consumerPos;

  private RingBuffer(String name, int mapFd, int size) {
    LibcNative libc = LibcNative.INSTANCE;
    this.name = name;
    this.pageSize = (int) libc.sysconf(LibcNative.SC_PAGESIZE);
    if (size <= 0 || Integer.bitCount(size) != 1 || size % pageSize != 0 || size > (1 << 29)) {
      throw new IllegalArgumentException(name + ": ring size " + size + " is not a power-of-two multiple of the page");
    }
    this.size = size;
    this.mask = size - 1L;
    this.releaseEvery = size / 4;
    try {
      consumerMem = mmap(mapFd, pageSize, LibcNative.PROT_READ | LibcNative.PROT_WRITE, 0, "consumer page");
      producerMem = mmap(mapFd, pageSize + 2L * size, LibcNative.PROT_READ, pageSize, "producer page and data");
      epollFd = libc.epoll_create1(LibcNative.EPOLL_CLOEXEC);
      if (epollFd < 0) {
        throw new BpfException(name + ": epoll_create1", Native.getLastError());
      }
      Memory ev = new Memory(12);
      ev.clear();
      ev.setInt(0, LibcNative.EPOLLIN | LibcNative.EPOLLET);
      if (libc.epoll_ctl(epollFd, LibcNative.EPOLL_CTL_ADD, mapFd, ev) < 0) {
        throw new BpfException(name + ": epoll_ctl ADD ring fd " + mapFd, Native.getLastError());
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.consumer = consumerMem.getByteBuffer(0, pageSize).order(ByteOrder.LITTLE_ENDIAN);
    this.data = producerMem.getByteBuffer(0, pageSize + 2L * size).order(ByteOrder.LITTLE_ENDIAN);
    this.consumerPos = (long) LONG.getAcquire(consumer, 0);
  }

  /** Maps the ring buffer map behind {@code mapFd}, of {@code size} bytes (its max_entries). */
  public static RingBuffer open(String name, int mapFd, int size) {
    return new RingBuffer(name, mapFd, size);
  }

  private Pointer mmap(int fd, long length, int prot, long offset, String what) {
    Pointer p = LibcNative.INSTANCE.mmap(null, length, prot, LibcNative.MAP_SHARED, fd, offset);
    if (p == null || Pointer.nativeValue(p) == -1L) {
      throw new BpfException(name + ": mmap " + what, Native.getLastError());
    }
    return p;
  }

  public int size() {
    return size;
  }

  /** Bytes committed or reserved by producers and not yet consumed. */
  public long pending() {
    return (long) LONG.getAcquire(data, 0) - consumerPos;
  }

  /**
   * Hands every committed record to {@code handler}, up to {@code maxRecords}, stopping at the first one still being
   * written. The consumer position is released once per pass (and every quarter ring on long passes) rather than
   * per record. Returns the number of records handed over (discarded records are skipped, not counted).
   */
  public int drain(RecordHandler handler, int maxRecords) {
    ByteBuffer d = data;
    long cons = consumerPos;
    long released = cons;
    int delivered = 0;
    int base = pageSize;
    try {
      outer:
      while (delivered < maxRecords) {
        long prod = (long) LONG.getAcquire(d, 0);
        if (cons >= prod) {
          break;
        }
        while (cons < prod) {
          int off = base + (int) (cons & mask);
          int header = (int) INT.getAcquire(d, off);
          if ((header & BUSY_BIT) != 0) {
            break outer;
          }
          int len = header & ~(BUSY_BIT | DISCARD_BIT);
          cons += (len + HEADER + 7) & ~7L;
          if ((header & DISCARD_BIT) == 0) {
            handler.onRecord(d, off + HEADER, len);
            if (++delivered >= maxRecords) {
              break outer;
            }
          }
          if (cons - released >= releaseEvery) {
            LONG.setRelease(consumer, 0, cons);
            released = cons;
          }
        }
      }
    } finally {
      consumerPos = cons;
      if (cons != released) {
        LONG.setRelease(consumer, 0, cons);
      }
    }
    return delivered;
  }

  /**
   * Sleeps in epoll_wait until a producer wakes the consumer (edge-triggered: records may already wait) or {@code
   * timeoutMillis} passes (0: do not sleep, -1: no limit). Returns true when woken. An interrupted wait (EINTR)
   * returns false.
   */
  public boolean await(int timeoutMillis) {
    int n = LibcNative.INSTANCE.epoll_wait(epollFd, epollEvents, 4, timeoutMillis);
    if (n < 0) {
      int errno = Native.getLastError();
      if (errno == LibcNative.EINTR) {
        return false;
      }
      throw new BpfException(name + ": epoll_wait", errno);
    }
    return n > 0;
  }

  @Override
  public void close() {
    LibcNative libc = LibcNative.INSTANCE;
    if (epollFd >= 0) {
      libc.close(epollFd);
      epollFd = -1;
    }
    if (producerMem != null) {
      libc.munmap(producerMem, pageSize + 2L * size);
      producerMem = null;
    }
    if (consumerMem != null) {
      libc.munmap(consumerMem, pageSize);
      consumerMem = null;
    }
  }
}
