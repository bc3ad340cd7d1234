package io.ipcscope.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * System V shared memory segments and semaphore sets, by id. Both belong to no process and outlive
 * them all: their creator holds them as a {@link Created} and removes them (IPC_RMID) by closing
 * it; users only name them by id ({@link SharedMapping#sysv}, {@link Semaphore}).
 */
final class SysvShm {

  private SysvShm() {}

  /** Creates the segment of {@code key} with {@code size} bytes, mode 0600; EEXIST if the key has one. */
  static Created createSegment(int key, long size) {
    int id;
    try {
      id = SharedMemoryLibc.shmget(key, size, Libc.IPC_CREAT | Libc.IPC_EXCL | 0600);
    } catch (ErrnoException e) {
      throw leftOver(e, String.format("shmget key 0x%08x", key), String.format("ipcrm -M 0x%08x", key));
    }
    return new Created(key, id, SharedMemoryLibc::shmctlRemove);
  }

  /**
   * Creates the semaphore set of {@code key}, mode 0600, with one semaphore per value, set to those
   * values (semctl SETALL, which is no operation: nobody waits or posts). EEXIST if the key has one.
   */
  static Created createSemaphores(int key, short... values) {
    int id;
    try {
      id = SharedMemoryLibc.semget(key, values.length, Libc.IPC_CREAT | Libc.IPC_EXCL | 0600);
    } catch (ErrnoException e) {
      throw leftOver(e, String.format("semget key 0x%08x", key), String.format("ipcrm -S 0x%08x", key));
    }
    Created created = new Created(key, id, SharedMemoryLibc::semctlRemove);
    try {
      SharedMemoryLibc.semSetAll(id, values);
    } catch (ErrnoException e) {
      created.close();
      throw e;
    }
    return created;
  }

  private static ErrnoException leftOver(ErrnoException e, String call, String ipcrm) {
    return e.errno() != Libc.EEXIST ? e
        : new ErrnoException(call, e.errno(), "left by a killed demo? remove it with: ipcscope demo --cleanup (or "
            + ipcrm + ")");
  }

  /** Semaphore {@code num} of set {@code semid}: one semop with one sembuf per operation. */
  record Semaphore(int semid, int num) implements ShmRing.Semaphore {
    @Override
    public void post() {
      SharedMemoryLibc.semop(semid, num, 1);
    }

    @Override
    public void await() {
      SharedMemoryLibc.semop(semid, num, -1);
    }
  }

  /** A segment or set this process created: {@link #close} removes it, once, from whichever thread comes first. */
  static final class Created implements AutoCloseable {

    private final int key;
    private final int id;
    private final IntConsumer remove;
    private final AtomicBoolean removed = new AtomicBoolean();

    private Created(int key, int id, IntConsumer remove) {
      this.key = key;
      this.id = id;
      this.remove = remove;
    }

    int key() {
      return key;
    }

    int id() {
      return id;
    }

    /** Idempotent: the workload's finally and the run's shutdown cleanup may both call it. */
    @Override
    public void close() {
      if (removed.compareAndSet(false, true)) {
        remove.accept(id);
      }
    }
  }

  /**
   * The segments of {@code /proc/sysvipc/shm} whose key {@code demoPid} reads a demo's pid from.
   * Columns: key (decimal) shmid perms size cpid lpid nattch uid gid cuid cgid atime dtime ctime
   * rss swap; ctime is the creation (no demo uses IPC_SET). A segment removed while attached has
   * key 0 until its last detach: never listed. Removed by id.
   */
  static Leftovers segments(IntFunction<OptionalLong> demoPid) {
    return leftovers("sysv_shm", Path.of("/proc/sysvipc/shm"), 13, demoPid, SharedMemoryLibc::shmctlRemove);
  }

  /**
   * The semaphore sets of {@code /proc/sysvipc/sem} whose key {@code demoPid} reads a demo's pid
   * from. Columns: key (decimal) semid perms nsems uid gid cuid cgid otime ctime; ctime is the
   * creation or the demo's SETALL just after. Removed by id.
   */
  static Leftovers semaphoreSets(IntFunction<OptionalLong> demoPid) {
    return leftovers("sysv_sem", Path.of("/proc/sysvipc/sem"), 9, demoPid, SharedMemoryLibc::semctlRemove);
  }

  private static Leftovers leftovers(
      String kind, Path table, int ctimeColumn, IntFunction<OptionalLong> demoPid, IntConsumer remove) {
    return new Leftovers() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public List<Leftovers.Found> find(Leftovers.Host host) throws IOException {
        List<Leftovers.Found> found = new ArrayList<>();
        for (String line : Files.readAllLines(table)) {
          String[] f = line.trim().split("\\s+");
          if (f.length <= ctimeColumn || !f[0].matches("-?\\d+")) {
            continue; // The header.
          }
          int key = (int) Long.parseLong(f[0]);
          int id = Integer.parseInt(f[1]);
          OptionalLong pid = demoPid.apply(key);
          if (pid.isPresent()) {
            found.add(new Leftovers.Found(kind, String.format("key 0x%08x (id %d)", key, id), pid.getAsLong(),
                Instant.ofEpochSecond(Long.parseLong(f[ctimeColumn])), () -> remove.accept(id)));
          }
        }
        return found;
      }
    };
  }
}
