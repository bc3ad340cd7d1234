package io.ipcscope.demo;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;

/**
 * The libc calls of the shared-memory workloads: POSIX shared memory and named semaphores, System
 * V segments and semaphore sets, mmap. JNA stays inside this class; a failing call throws {@link
 * ErrnoException} naming the call, its argument and the errno. Blocking semaphore operations are
 * retried on EINTR, so a caller counts only the operation that succeeded. LP64 only (x86-64,
 * arm64). glibc has shm_open and the sem_* functions in libc.so.6 since 2.34.
 *
 * <p>Unlike {@link Libc}, failures are told by the return value and only then is errno read:
 * glibc's sem_open sets errno on success (its temp-name search stats names that do not exist),
 * which JNA's LastErrorException would report as a failure.
 */
final class SharedMemoryLibc {

  /** {@code <sys/mman.h>}. */
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int MAP_SHARED = 1;

  /** {@code <sys/ipc.h>}, {@code <sys/sem.h>}. */
  static final int IPC_RMID = 0;
  static final int SETALL = 17;

  /** sizeof(struct sembuf): unsigned short sem_num, short sem_op, short sem_flg. */
  private static final int SEMBUF_SIZE = 6;

  private interface C extends Library {
    int shm_open(String name, int oflag, int mode);

    int shm_unlink(String name);

    int ftruncate(int fd, long length);

    int close(int fd);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    /** Variadic: with O_CREAT a mode_t and an unsigned int value follow. */
    Pointer sem_open(String name, int oflag, Object... modeAndValue);

    int sem_wait(Pointer sem);

    int sem_post(Pointer sem);

    int sem_close(Pointer sem);

    int sem_unlink(String name);

    int shmget(int key, long size, int shmflg);

    Pointer shmat(int shmid, Pointer shmaddr, int shmflg);

    int shmdt(Pointer shmaddr);

    int shmctl(int shmid, int cmd, Pointer buf);

    int semget(int key, int nsems, int semflg);

    int semop(int semid, byte[] sops, long nsops);

    /**
     * Variadic in C; the fourth argument, {@code union semun} (int or pointer, 8 bytes), is passed
     * by value in an integer register on x86-64 and arm64 (Linux), like a pointer.
     */
    int semctl(int semid, int semnum, int cmd, Pointer arg);
  }

  /** (void *) -1: what mmap and shmat return on failure. */
  private static final Pointer FAILED = new Pointer(-1L);

  private static final C C;

  static {
    Libc.load(); // Sets jna.platform.library.path before JNA's first load (no ldconfig child).
    C = Native.load("c", C.class);
  }

  private SharedMemoryLibc() {}

  static int shmOpen(String name, int flags, int mode) {
    return check(C.shm_open(name, flags, mode), () -> "shm_open " + name);
  }

  static void shmUnlink(String name) {
    check(C.shm_unlink(name), () -> "shm_unlink " + name);
  }

  static void ftruncate(int fd, long length, String what) {
    check(C.ftruncate(fd, length), () -> "ftruncate " + what + " to " + length + " bytes");
  }

  static void close(int fd, String what) {
    check(C.close(fd), () -> "close " + what + " (fd " + fd + ")");
  }

  /** Maps {@code length} bytes of {@code fd} from offset 0, read-write, MAP_SHARED. */
  static Pointer mmapShared(int fd, long length, String what) {
    Pointer p = C.mmap(Pointer.NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (FAILED.equals(p) || p == null) {
      throw new ErrnoException("mmap " + what + " (" + length + " bytes, MAP_SHARED)", Native.getLastError());
    }
    return p;
  }

  static void munmap(Pointer address, long length, String what) {
    check(C.munmap(address, length), () -> "munmap " + what);
  }

  /** Creates the named semaphore (flags include O_CREAT) with {@code value}; returns the sem_t pointer. */
  static Pointer semCreate(String name, int flags, int mode, int value) {
    return semCheck(C.sem_open(name, flags | Libc.O_CREAT, mode, value), () -> "sem_open " + name + " value " + value);
  }

  /** Opens an existing named semaphore. */
  static Pointer semOpen(String name) {
    return semCheck(C.sem_open(name, 0), () -> "sem_open " + name);
  }

  /** sem_wait, retried on EINTR (a failed wait took nothing). {@code name} only labels errors. */
  static void semWait(String name, Pointer sem) {
    while (C.sem_wait(sem) != 0) {
      int errno = Native.getLastError();
      if (errno != Libc.EINTR) {
        throw new ErrnoException("sem_wait " + name, errno);
      }
    }
  }

  static void semPost(String name, Pointer sem) {
    check(C.sem_post(sem), () -> "sem_post " + name);
  }

  static void semClose(String name, Pointer sem) {
    check(C.sem_close(sem), () -> "sem_close " + name);
  }

  static void semUnlink(String name) {
    check(C.sem_unlink(name), () -> "sem_unlink " + name);
  }

  /** Creates or finds the System V segment of {@code key}; returns its id. */
  static int shmget(int key, long size, int flags) {
    return check(C.shmget(key, size, flags), () -> String.format("shmget key 0x%08x (%d bytes)", key, size));
  }

  /** Attaches segment {@code shmid} read-write wherever the kernel likes. */
  static Pointer shmat(int shmid) {
    Pointer p = C.shmat(shmid, Pointer.NULL, 0);
    if (FAILED.equals(p) || p == null) {
      throw new ErrnoException("shmat segment " + shmid, Native.getLastError());
    }
    return p;
  }

  static void shmdt(Pointer address, int shmid) {
    check(C.shmdt(address), () -> "shmdt segment " + shmid);
  }

  /** Marks the segment for removal: gone once the last process detached; its key is free at once. */
  static void shmctlRemove(int shmid) {
    check(C.shmctl(shmid, IPC_RMID, Pointer.NULL), () -> "shmctl segment " + shmid + " IPC_RMID");
  }

  /** Creates or finds the System V semaphore set of {@code key} with {@code count} semaphores; returns its id. */
  static int semget(int key, int count, int flags) {
    return check(C.semget(key, count, flags), () -> String.format("semget key 0x%08x (%d semaphores)", key, count));
  }

  /** Sets every semaphore of the set (semctl SETALL): not an operation, no process waits or posts. */
  static void semSetAll(int semid, short[] values) {
    Memory array = new Memory((long) Short.BYTES * values.length);
    array.write(0, values, 0, values.length);
    check(C.semctl(semid, 0, SETALL, array), () -> "semctl set " + semid + " SETALL");
  }

  /** Removes the set at once: waiting operations fail with EIDRM. */
  static void semctlRemove(int semid) {
    check(C.semctl(semid, 0, IPC_RMID, Pointer.NULL), () -> "semctl set " + semid + " IPC_RMID");
  }

  /**
   * One semop call with one sembuf: adds {@code delta} to semaphore {@code num} (waiting while that
   * would make it negative), sem_flg 0 (no SEM_UNDO, no IPC_NOWAIT). Retried on EINTR, which did
   * nothing.
   */
  static void semop(int semid, int num, int delta) {
    byte[] sembuf = ByteBuffer.allocate(SEMBUF_SIZE)
        .order(ByteOrder.nativeOrder())
        .putShort((short) num)
        .putShort((short) delta)
        .putShort((short) 0)
        .array();
    while (C.semop(semid, sembuf, 1) != 0) {
      int errno = Native.getLastError();
      if (errno != Libc.EINTR) {
        throw new ErrnoException("semop set " + semid + " semaphore " + num + " sem_op " + delta, errno);
      }
    }
  }

  private static int check(int result, Supplier<String> what) {
    if (result == -1) {
      throw new ErrnoException(what.get(), Native.getLastError());
    }
    return result;
  }

  /** SEM_FAILED is (sem_t *) 0 in glibc. */
  private static Pointer semCheck(Pointer sem, Supplier<String> what) {
    if (sem == null) {
      throw new ErrnoException(what.get(), Native.getLastError());
    }
    return sem;
  }
}
