package io.ipcscope.demo;

import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * POSIX shared memory objects and named semaphores, by name ("/x"). Both are files in
 * {@value #SHM_DIR} (glibc: "/x" is {@code /dev/shm/x}, semaphore "/x" is {@code /dev/shm/sem.x})
 * that outlive every process until unlinked: their creator holds them as a {@link Created} and
 * unlinks them by closing it; users open them by name.
 */
final class PosixShm {

  /** Where glibc keeps POSIX shared memory objects and named semaphores (a tmpfs). */
  static final Path SHM_DIR = Path.of("/dev/shm");

  /** What sem_open puts before a semaphore's name in {@link #SHM_DIR}. */
  static final String SEM_FILE_PREFIX = "sem.";

  private PosixShm() {}

  /** The file of shared memory object {@code name}: "/x" is /dev/shm/x. */
  static Path objectPath(String name) {
    return SHM_DIR.resolve(name.substring(1));
  }

  /** The file of named semaphore {@code name}: "/x" is /dev/shm/sem.x. */
  static Path semaphorePath(String name) {
    return SHM_DIR.resolve(SEM_FILE_PREFIX + name.substring(1));
  }

  /**
   * Creates shared memory object {@code name} of {@code size} bytes (shm_open O_CREAT|O_EXCL, mode
   * 0600, ftruncate) and closes it: the creator maps nothing.
   */
  static Created createObject(String name, long size) {
    int fd;
    try {
      fd = SharedMemoryLibc.shmOpen(name, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0600);
    } catch (ErrnoException e) {
      throw leftOver(e, "shm_open " + name);
    }
    Created created = new Created(name, () -> SharedMemoryLibc.shmUnlink(name));
    try {
      SharedMemoryLibc.ftruncate(fd, size, "shm " + name);
    } catch (ErrnoException e) {
      created.close();
      throw e;
    } finally {
      SharedMemoryLibc.close(fd, "shm " + name);
    }
    return created;
  }

  /**
   * Creates named semaphore {@code name} with {@code value} (sem_open O_CREAT|O_EXCL, mode 0600)
   * and closes it: the creator never waits or posts.
   */
  static Created createSemaphore(String name, int value) {
    Pointer sem;
    try {
      sem = SharedMemoryLibc.semCreate(name, Libc.O_EXCL, 0600, value);
    } catch (ErrnoException e) {
      throw leftOver(e, "sem_open " + name);
    }
    Created created = new Created(name, () -> SharedMemoryLibc.semUnlink(name));
    try {
      SharedMemoryLibc.semClose(name, sem);
    } catch (ErrnoException e) {
      created.close();
      throw e;
    }
    return created;
  }

  private static ErrnoException leftOver(ErrnoException e, String call) {
    return e.errno() != Libc.EEXIST ? e
        : new ErrnoException(call, e.errno(), "left by a killed demo? remove it with: ipcscope demo --cleanup");
  }

  /** An open named semaphore of this process; {@link #close} is sem_close (the semaphore stays). */
  static final class Semaphore implements ShmRing.Semaphore, AutoCloseable {

    private final String name;
    private final Pointer sem;
    private boolean closed;

    private Semaphore(String name, Pointer sem) {
      this.name = name;
      this.sem = sem;
    }

    /** Opens the existing semaphore {@code name} (sem_open maps its file, MAP_SHARED). */
    static Semaphore open(String name) {
      return new Semaphore(name, SharedMemoryLibc.semOpen(name));
    }

    @Override
    public void post() {
      SharedMemoryLibc.semPost(name, sem);
    }

    @Override
    public void await() {
      SharedMemoryLibc.semWait(name, sem);
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        SharedMemoryLibc.semClose(name, sem);
      }
    }
  }

  /** An object or semaphore this process created: {@link #close} unlinks it, once, from whichever thread comes first. */
  static final class Created implements AutoCloseable {

    private final String name;
    private final Runnable unlink;
    private final AtomicBoolean unlinked = new AtomicBoolean();

    private Created(String name, Runnable unlink) {
      this.name = name;
      this.unlink = unlink;
    }

    String name() {
      return name;
    }

    /** Idempotent: the workload's finally and the run's shutdown cleanup may both call it. */
    @Override
    public void close() {
      if (unlinked.compareAndSet(false, true)) {
        unlink.run();
      }
    }
  }

  /**
   * The shared memory objects ({@code semaphores} false) or named semaphores of {@value #SHM_DIR}
   * whose name {@code demoPid} reads a demo's pid from. The file's mtime is its creation or a later
   * change.
   */
  static Leftovers leftovers(boolean semaphores, Function<String, OptionalLong> demoPid) {
    String kind = semaphores ? "posix_sem" : "posix_shm";
    return new Leftovers() {
      @Override
      public String kind() {
        return kind;
      }

      @Override
      public List<Leftovers.Found> find(Leftovers.Host host) throws IOException {
        List<Leftovers.Found> found = new ArrayList<>();
        if (!Files.isDirectory(SHM_DIR)) {
          return found;
        }
        try (Stream<Path> files = Files.list(SHM_DIR)) {
          for (Path file : files.sorted().toList()) {
            String fileName = file.getFileName().toString();
            if (semaphores != fileName.startsWith(SEM_FILE_PREFIX)) {
              continue;
            }
            String name = "/" + (semaphores ? fileName.substring(SEM_FILE_PREFIX.length()) : fileName);
            OptionalLong pid = demoPid.apply(name);
            if (pid.isPresent() && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
              Leftovers.Removal removal = semaphores
                  ? () -> SharedMemoryLibc.semUnlink(name)
                  : () -> SharedMemoryLibc.shmUnlink(name);
              found.add(new Leftovers.Found(kind, name, pid.getAsLong(), Run.lastModified(file), removal));
            }
          }
        }
        return found;
      }
    };
  }
}
