package io.ipcscope.demo;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A ring of fixed-size records in shared memory, handed from a producer to a consumer under two
 * counting semaphores: "empty" (free slots, starts at {@link #slots}) and "full" (records waiting,
 * starts at 0). Per record the producer waits "empty", writes the slot and posts "full"; the
 * consumer waits "full", reads the slot and posts "empty". Nothing else passes between them: no
 * syscall carries the data, and the semaphores carry only the counts.
 *
 * <p>Slot k (from 0) is at {@code k * stride}: the record's sequence number (a long, from 1), a
 * long that is 1 for the last record, then the record. The producer marks record k as the last
 * once it knows no record k + 1 follows (its pacer says so), so it posts record k only at the
 * slot of record k + 1 under --rate (the last at once): the consumer stops after the last without
 * any post beyond the records'. So over a run of N records: the producer waits "empty" N times and
 * posts "full" N times; the consumer waits "full" N times and posts "empty" N times.
 *
 * <p>When the pacer grants no record at all (--duration shorter than the children's start), the
 * producer hands over one slot with sequence number 0 and the last flag, and no record: then
 * each of those four counts is 1, not N = 0 ({@link #handovers}).
 */
final class ShmRing {

  /** Sequence number and last flag. */
  static final int SLOT_HEADER = 16;

  /** At most this many slots, fewer for large records (but at least 2). */
  static final int MAX_SLOTS = 8;

  /** Ring bytes to aim for with large records. */
  private static final long BUDGET = 32L << 20;

  /** One semaphore as the ring uses it; {@code await} is the wait (sem_wait, semop -1). */
  interface Semaphore {
    void post();

    void await();
  }

  /** A semaphore that counts this process's successful operations on it. */
  static final class Counted implements Semaphore {
    private final Semaphore semaphore;
    private long posts;
    private long waits;

    Counted(Semaphore semaphore) {
      this.semaphore = semaphore;
    }

    @Override
    public void post() {
      VarHandle.fullFence(); // The slot's bytes before the count (the libc call is a barrier too).
      semaphore.post();
      posts++;
    }

    @Override
    public void await() {
      semaphore.await();
      waits++;
      VarHandle.fullFence();
    }

    long posts() {
      return posts;
    }

    long waits() {
      return waits;
    }
  }

  private final ByteBuffer memory;
  private final int size;
  private final int stride;
  private final int slots;

  ShmRing(ByteBuffer memory, int size) {
    this.memory = memory;
    this.size = size;
    this.stride = stride(size);
    this.slots = slots(size);
    if (memory.capacity() < bytes(size)) {
      throw new IllegalArgumentException("a ring of " + slots + " records of " + size + " bytes needs "
          + bytes(size) + " bytes, the mapping has " + memory.capacity());
    }
  }

  static int stride(int size) {
    return SLOT_HEADER + ((size + 7) & ~7);
  }

  /** Slots of a ring of records of {@code size} bytes: {@value #MAX_SLOTS}, fewer for large records. */
  static int slots(int size) {
    return (int) Math.max(2, Math.min(MAX_SLOTS, BUDGET / stride(size)));
  }

  /** The size of the shared object of a ring of records of {@code size} bytes. */
  static long bytes(int size) {
    return (long) slots(size) * stride(size);
  }

  /** Slots handed from producer to consumer in a run of {@code records} records: one per record, or the empty end. */
  static long handovers(long records) {
    return Math.max(1, records);
  }

  /**
   * Sends records 1, 2, ... as the pacer grants them; returns how many. {@code empty} and {@code
   * full} count the producer's operations.
   */
  long produce(Pacer pacer, Semaphore empty, Semaphore full) throws InterruptedException {
    byte[] record = Records.newRecord(size);
    long seq = 0;
    boolean more = pacer.next();
    if (!more) {
      empty.await();
      memory.putLong(0, 0); // Slot 0: no record, the last.
      memory.putLong(Long.BYTES, 1);
      full.post();
      return 0;
    }
    while (more) {
      empty.await();
      seq++;
      Records.stamp(record, seq);
      int at = slot(seq);
      memory.putLong(at, seq);
      memory.put(at + SLOT_HEADER, record);
      more = pacer.next(); // Waits for record seq + 1's slot under --rate.
      memory.putLong(at + Long.BYTES, more ? 0 : 1);
      full.post();
    }
    return seq;
  }

  /** Receives records until the one marked last, checking each; returns how many. */
  long consume(Semaphore empty, Semaphore full) throws IOException {
    byte[] expected = Records.newRecord(size);
    byte[] record = new byte[size];
    long seq = 0;
    boolean last = false;
    while (!last) {
      full.await();
      int at = slot(seq + 1);
      long got = memory.getLong(at);
      last = memory.getLong(at + Long.BYTES) != 0;
      if (seq == 0 && got == 0 && last) {
        empty.post(); // The producer had no record to send.
        return 0;
      }
      seq++;
      memory.get(at + SLOT_HEADER, record);
      Records.stamp(expected, seq);
      if (got != seq || !Arrays.equals(record, expected)) {
        throw new IOException(got != seq ? "slot " + (at / stride) + " holds record " + got + ", not record " + seq
            : "record " + seq + " is not the one sent");
      }
      empty.post();
    }
    return seq;
  }

  private int slot(long seq) {
    return (int) ((seq - 1) % slots) * stride;
  }
}
