package io.ipcscope.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;

/**
 * A System V message queue, by id: whole messages of a type in, the oldest of a type out. A queue
 * belongs to no process and outlives them all, so its creator holds it as a {@link Created} and
 * removes it by closing that; users only name it with {@link #of}.
 */
final class SysvQueue {

  private final int id;

  private SysvQueue(int id) {
    this.id = id;
  }

  static SysvQueue of(int id) {
    return new SysvQueue(id);
  }

  /** Creates a new queue for {@code key}, mode 0600; fails with EEXIST if the key has one already. */
  static Created create(int key) {
    try {
      return new Created(key, Libc.msgget(key, Libc.IPC_CREAT | Libc.IPC_EXCL | 0600));
    } catch (ErrnoException e) {
      if (e.errno() != Libc.EEXIST) {
        throw e;
      }
      // Left by a demo that was killed (SIGKILL runs no cleanup) and whose pid came round again.
      throw new ErrnoException(String.format("msgget key 0x%08x", key), e.errno(),
          String.format("left by a killed demo? remove it with: ipcscope demo --cleanup (or ipcrm -Q 0x%08x)", key));
    }
  }

  int id() {
    return id;
  }

  /**
   * The queues of {@code /proc/sysvipc/msg} whose key {@code demoPid} reads a demo's pid from.
   * Columns: key (decimal) msqid perms cbytes qnum lspid lrpid uid gid cuid cgid stime rtime ctime;
   * ctime is the creation (no demo changes a queue with IPC_SET). Removed by id, so a queue made
   * later under the same key is never touched.
   */
  static Leftovers leftovers(IntFunction<OptionalLong> demoPid) {
    return new Leftovers() {
      @Override
      public String kind() {
        return "sysv_mq";
      }

      @Override
      public List<Leftovers.Found> find(Leftovers.Host host) throws IOException {
        List<Leftovers.Found> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/sysvipc/msg"))) {
          String[] f = line.trim().split("\\s+");
          if (f.length < 14 || !f[0].matches("-?\\d+")) {
            continue; // The header.
          }
          int key = (int) Long.parseLong(f[0]);
          int id = Integer.parseInt(f[1]);
          OptionalLong pid = demoPid.apply(key);
          if (pid.isPresent()) {
            found.add(new Leftovers.Found(kind(), String.format("key 0x%08x (id %d)", key, id), pid.getAsLong(),
                Instant.ofEpochSecond(Long.parseLong(f[13])), () -> Libc.msgctlRemove(id)));
          }
        }
        return found;
      }
    };
  }

  /** Sends one message of {@code type} carrying {@code text}, waiting while the queue is full. */
  void send(long type, byte[] text) {
    Libc.msgsnd(id, type, text);
  }

  /** Waits for the oldest message of {@code type}, puts its text into {@code text}; returns the text's length. */
  int receive(long type, byte[] text) {
    return Libc.msgrcv(id, type, text);
  }

  /**
   * As {@link #receive}, but -1 once the queue was removed: EIDRM when that happens while this
   * waits, EINVAL when it was gone already (ids are not reused at once, so EINVAL cannot be
   * someone else's queue).
   */
  int receiveUnlessRemoved(long type, byte[] text) {
    try {
      return receive(type, text);
    } catch (ErrnoException e) {
      if (e.errno() == Libc.EIDRM || e.errno() == Libc.EINVAL) {
        return -1;
      }
      throw e;
    }
  }

  /** A queue this process created: {@link #close} removes it (IPC_RMID), once, from whichever thread comes first. */
  static final class Created implements AutoCloseable {

    private final int key;
    private final SysvQueue queue;
    private final AtomicBoolean removed = new AtomicBoolean();

    private Created(int key, int id) {
      this.key = key;
      this.queue = new SysvQueue(id);
    }

    int key() {
      return key;
    }

    SysvQueue queue() {
      return queue;
    }

    /** Idempotent: the workload's finally and the run's shutdown cleanup may both call it. */
    @Override
    public void close() {
      if (removed.compareAndSet(false, true)) {
        Libc.msgctlRemove(queue.id);
      }
    }
  }
}
