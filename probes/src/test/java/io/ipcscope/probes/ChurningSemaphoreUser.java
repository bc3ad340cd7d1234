package io.ipcscope.probes;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The child of {@link SemaphoreKernelTest}: posts and waits on a semaphore in shared memory while other threads of the
 * process map and unmap memory without pause, so that the kernel's look-up of the semaphore's mapping (a trylock of
 * the process's mmap lock) often finds the lock taken. Writes the semaphore's address (hex) to its first argument.
 *
 * <p>Arguments: address file, operations of each kind, churning threads.
 */
final class ChurningSemaphoreUser {

  interface C extends Library {
    C INSTANCE = Native.load("c", C.class);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    int sem_init(Pointer sem, int pshared, int value);

    int sem_post(Pointer sem);

    int sem_wait(Pointer sem);
  }

  private static final int PROT_READ_WRITE = 0x3;
  private static final int MAP_SHARED = 0x01;
  private static final int MAP_PRIVATE = 0x02;
  private static final int MAP_ANONYMOUS = 0x20;
  private static final long CHURN_BYTES = 64 << 10;

  private ChurningSemaphoreUser() {}

  public static void main(String[] args) throws Exception {
    Path addressFile = Path.of(args[0]);
    int operations = Integer.parseInt(args[1]);
    int churners = Integer.parseInt(args[2]);
    C c = C.INSTANCE;
    Pointer sem = c.mmap(null, 4096, PROT_READ_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (Pointer.nativeValue(sem) == -1 || c.sem_init(sem, 1, 0) != 0) {
      throw new IllegalStateException("mmap or sem_init failed: errno " + Native.getLastError());
    }
    Files.writeString(addressFile, Long.toHexString(Pointer.nativeValue(sem)));
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < churners; i++) {
      Thread t = new Thread(() -> {
        while (!stop.get()) {
          Pointer p = c.mmap(null, CHURN_BYTES, PROT_READ_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
          p.setByte(0, (byte) 1);
          c.munmap(p, CHURN_BYTES);
        }
      }, "churn-" + i);
      t.start();
      threads.add(t);
    }
    for (int i = 0; i < operations; i++) {
      if (c.sem_post(sem) != 0 || c.sem_wait(sem) != 0) {
        throw new IllegalStateException("sem_post or sem_wait failed: errno " + Native.getLastError());
      }
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
  }
}
