package io.ipcscope.demo;

import io.ipcscope.demo.truth.TruthSemaphore;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A ring of records in a System V segment ({@link ShmRing}) under a System V semaphore set. The
 * demo creates the segment (shmget key {@link #key}, IPC_CREAT|IPC_EXCL, mode 0600, {@link
 * ShmRing#bytes}) and the set of two semaphores under the same key (semget, then semctl SETALL:
 * {@value #EMPTY_NUM} "empty" = slots, {@value #FULL_NUM} "full" = 0); it attaches nothing and
 * never operates on the set. A producer JVM and a consumer JVM each shmat the segment once (by
 * id) and shmdt it when done; every wait is one semop call with one sembuf, sem_op -1, every post
 * one with sem_op +1 (sem_flg 0: no SEM_UNDO). The demo removes segment and set (IPC_RMID) at the
 * end, also on SIGTERM/SIGINT; after SIGKILL {@code --cleanup} finds them by the key.
 *
 * <p>Truth: shared memory sysv_shm "ring", path the key as 0x%08x, attached by producer and
 * consumer, 2 shmats; System V semaphores "empty" (0x%08x[0]: producer waits N, consumer posts N)
 * and "full" (0x%08x[1]: producer posts N, consumer waits N); a SIGCHLD from each child.
 */
final class SysvShmWorkload implements Workload {

  static final String MECHANISM = "sysv_shm";
  static final String RING = "ring";
  static final String EMPTY = "empty";
  static final String FULL = "full";
  static final int EMPTY_NUM = 0;
  static final int FULL_NUM = 1;

  /** A segment's and a set's key: "S" in the top byte, the demo's pid in the others. */
  private static final int KEY_TAG = 0x53000000;
  private static final int PID_MASK = 0x00ffffff;

  @Override
  public String name() {
    return "sysv-shm";
  }

  @Override
  public String description() {
    return "System V shared memory: a producer JVM hands records to a consumer JVM through a ring in one segment,"
        + " under a System V semaphore set";
  }

  /**
   * The key of the demo's segment and of its semaphore set (separate namespaces): "S" in the top
   * byte, the demo's pid below (pid_max is at most 2^22), so {@code ipcs} tells whose they are.
   */
  static int key(long demoPid) {
    if (demoPid <= 0 || demoPid > PID_MASK) {
      throw new IllegalArgumentException("pid " + demoPid + " does not fit in a System V key");
    }
    return KEY_TAG | (int) demoPid;
  }

  /** The pid of the demo whose segment or set has {@code key} ({@link #key} backwards), or empty. */
  static OptionalLong demoPid(int key) {
    int pid = key & PID_MASK;
    return (key & ~PID_MASK) == KEY_TAG && pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
  }

  /** "0x53001234": how users name the segment ({@code ipcs -m}). */
  static String keyPath(int key) {
    return String.format("0x%08x", key);
  }

  /** "0x53001234[1]": semaphore {@code num} of the set. */
  static String semaphorePath(int key, int num) {
    return keyPath(key) + "[" + num + "]";
  }

  /** A killed demo leaves its segment, its semaphore set and the run's temp dir. */
  @Override
  public List<Leftovers> leftovers() {
    return List.of(SysvShm.segments(SysvShmWorkload::demoPid), SysvShm.semaphoreSets(SysvShmWorkload::demoPid),
        Run.tempDirs(name()));
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    long bytes = ShmRing.bytes(size);
    int key = key(run.pid());
    Process consumer;
    Process producer;
    try (SysvShm.Created segment = run.closeAtEnd(SysvShm.createSegment(key, bytes));
        SysvShm.Created set = run.closeAtEnd(SysvShm.createSemaphores(key, (short) ShmRing.slots(size), (short) 0))) {
      List<String> ids = List.of(Integer.toString(segment.id()), Long.toString(bytes), Integer.toString(set.id()));
      consumer = run.startChild("consumer", Run.Stdio.CONTROL, ids, Map.of());
      producer = run.startChild("producer", Run.Stdio.CONTROL, ids, Map.of());
      run.announce();
      run.await(producer, consumer);
    }

    RingCounts counts = RingCounts.read(run, name());
    long p = producer.pid();
    long c = consumer.pid();
    long n = counts.handovers();
    run.sharedMemory(MECHANISM, RING, keyPath(key), bytes, List.of(p, c), counts.attaches());
    run.semaphore(TruthSemaphore.SYSV, EMPTY, semaphorePath(key, EMPTY_NUM), p, 0, n);
    run.semaphore(TruthSemaphore.SYSV, EMPTY, semaphorePath(key, EMPTY_NUM), c, n, 0);
    run.semaphore(TruthSemaphore.SYSV, FULL, semaphorePath(key, FULL_NUM), p, n, 0);
    run.semaphore(TruthSemaphore.SYSV, FULL, semaphorePath(key, FULL_NUM), c, 0, n);
    run.childExitSignals(consumer, producer);
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    int shmid = Integer.parseInt(child.arg(0));
    long bytes = Long.parseLong(child.arg(1));
    int semid = Integer.parseInt(child.arg(2));
    try (SharedMapping mapping = SharedMapping.sysv(shmid, bytes)) {
      RingCounts.play(role, child, new ShmRing(mapping.buffer(), child.size()),
          new SysvShm.Semaphore(semid, EMPTY_NUM), new SysvShm.Semaphore(semid, FULL_NUM));
    }
  }
}
