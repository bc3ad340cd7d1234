package io.ipcscope.demo;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Two JVMs share a regular file mapped MAP_SHARED and hand records through it with no syscall per
 * record. The demo creates {@value #FILE} in the run's temp dir, sized with ftruncate (it maps
 * nothing); a writer JVM and a reader JVM each open it, mmap it whole once and close the
 * descriptor.
 *
 * <p>Layout: the writer's count of records written (a long at {@value #WRITTEN}), its "done" flag
 * ({@value #DONE}), the reader's count of records read ({@value #READ}, its own cache line), then
 * a ring of {@link #slots} records. The writer waits while the ring is full, copies record k into
 * its slot, then publishes k as the written count (a release store); the reader waits for the
 * count to pass what it read (an acquire load), checks the record and publishes its own count.
 * After the last record the writer sets "done". Both wait by spinning (Thread.onSpinWait), then
 * parking a little longer each time (10 µs up to 1 ms): parking is a private futex on the
 * thread's own parker, never on the mapping.
 *
 * <p>Truth: shared memory posix_shm "file", path = the file, attached by writer and reader, 2
 * mmaps; a SIGCHLD from each child. No channel and no semaphore: nothing but the mapping links
 * them.
 */
final class MmapFileWorkload implements Workload {

  static final String MECHANISM = "posix_shm";
  static final String NAME = "file";
  static final String FILE = "shared.map";

  static final int WRITTEN = 0;
  static final int DONE = 8;
  static final int READ = 64;
  static final int HEADER = 128;

  private static final int MAX_SLOTS = 8;
  private static final long BUDGET = 32L << 20;

  private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  @Override
  public String name() {
    return "mmap-file";
  }

  @Override
  public String description() {
    return "Memory-mapped file: a writer JVM hands records to a reader JVM through a file both map MAP_SHARED,"
        + " with no syscall per record";
  }

  static int stride(int size) {
    return (size + 7) & ~7;
  }

  static int slots(int size) {
    return (int) Math.max(2, Math.min(MAX_SLOTS, BUDGET / stride(size)));
  }

  /** The file's size for records of {@code size} bytes. */
  static long bytes(int size) {
    return HEADER + (long) slots(size) * stride(size);
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    long bytes = bytes(size);
    Path file = run.tempDir().resolve(FILE).toAbsolutePath();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(bytes); // ftruncate: zeros, so both counts and "done" start at 0.
    }
    List<String> args = List.of(file.toString(), Long.toString(bytes));
    Process reader = run.startChild("reader", Run.Stdio.CONTROL, args, Map.of());
    Process writer = run.startChild("writer", Run.Stdio.CONTROL, args, Map.of());
    run.announce();
    run.await(writer, reader);

    long written = run.resultCount("writer", "records");
    long read = run.resultCount("reader", "records");
    long attaches = run.resultCount("writer", "attaches") + run.resultCount("reader", "attaches");
    if (read != written || attaches != 2) {
      throw new IOException("mmap-file: writer wrote " + written + " records, reader read " + read + "; "
          + attaches + " mmaps");
    }
    run.sharedMemory(MECHANISM, NAME, file.toString(), bytes, List.of(writer.pid(), reader.pid()), attaches);
    run.childExitSignals(reader, writer);
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    Path file = Path.of(child.arg(0));
    long bytes = Long.parseLong(child.arg(1));
    if (!role.equals("writer") && !role.equals("reader")) {
      Workload.super.child(role, child);
    }
    try (SharedMapping mapping = SharedMapping.file(file, bytes)) {
      child.report("attaches", 1);
      long records = role.equals("writer")
          ? write(mapping.buffer(), child.size(), child.pacer())
          : read(mapping.buffer(), child.size());
      child.report("records", records);
    }
  }

  private static long write(ByteBuffer memory, int size, Pacer pacer) throws InterruptedException {
    int slots = slots(size);
    byte[] record = Records.newRecord(size);
    Backoff backoff = new Backoff();
    long seq = 0;
    while (pacer.next()) {
      while (seq - (long) LONG.getAcquire(memory, READ) >= slots) {
        backoff.idle();
      }
      backoff.reset();
      seq++;
      Records.stamp(record, seq);
      memory.put(slot(seq, size), record);
      LONG.setRelease(memory, WRITTEN, seq);
    }
    LONG.setRelease(memory, DONE, 1L);
    return seq;
  }

  private static long read(ByteBuffer memory, int size) throws IOException {
    byte[] expected = Records.newRecord(size);
    byte[] record = new byte[size];
    Backoff backoff = new Backoff();
    long seq = 0;
    while (true) {
      long written = (long) LONG.getAcquire(memory, WRITTEN);
      if (seq < written) {
        backoff.reset();
        seq++;
        memory.get(slot(seq, size), record);
        Records.stamp(expected, seq);
        if (!Arrays.equals(record, expected)) {
          throw new IOException("record " + seq + " is not the one written");
        }
        LONG.setRelease(memory, READ, seq);
      } else if ((long) LONG.getAcquire(memory, DONE) != 0 && seq == (long) LONG.getAcquire(memory, WRITTEN)) {
        return seq;
      } else {
        backoff.idle();
      }
    }
  }

  private static int slot(long seq, int size) {
    return HEADER + (int) ((seq - 1) % slots(size)) * stride(size);
  }

  /** Waiting without syscalls at first: spins, then parks a little longer each time, up to 1 ms. */
  private static final class Backoff {
    private static final int SPINS = 200;
    private static final long MIN_PARK_NANOS = 10_000;
    private static final long MAX_PARK_NANOS = 1_000_000;
    private int spins;
    private long park = MIN_PARK_NANOS;

    void idle() {
      if (spins < SPINS) {
        spins++;
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(park);
        park = Math.min(MAX_PARK_NANOS, park * 2);
      }
    }

    void reset() {
      spins = 0;
      park = MIN_PARK_NANOS;
    }
  }
}
