package io.ipcscope.demo;

import io.ipcscope.demo.truth.TruthSemaphore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ring of records in POSIX shared memory ({@link ShmRing}) under two POSIX named semaphores. The
 * demo creates the object {@link #objectName} "ring" (shm_open O_CREAT|O_EXCL, mode 0600,
 * ftruncate to {@link ShmRing#bytes}) and the semaphores "empty" (value = slots) and "full" (0),
 * closing each at once; it maps nothing and never waits or posts. A producer JVM and a consumer
 * JVM each shm_open the object, mmap it whole MAP_SHARED once, close the descriptor, and sem_open
 * both semaphores. The demo unlinks all three at the end, also on SIGTERM/SIGINT; after SIGKILL
 * {@code --cleanup} finds them by the pid in their names.
 *
 * <p>Truth: shared memory posix_shm "ring", path /dev/shm/ipcscope-demo-PID-ring, attached by
 * producer and consumer, 2 mmaps; POSIX semaphores "empty" (producer waits N, consumer posts N)
 * and "full" (producer posts N, consumer waits N), paths /dev/shm/sem.ipcscope-demo-PID-NAME; a
 * SIGCHLD from each child. No channel: no syscall carries the records.
 */
final class PosixShmWorkload implements Workload {

  static final String MECHANISM = "posix_shm";
  static final String RING = "ring";
  static final String EMPTY = "empty";
  static final String FULL = "full";

  private static final String PREFIX = "/ipcscope-demo-";
  private static final Pattern OBJECT_NAME = Pattern.compile(Pattern.quote(PREFIX) + "([1-9][0-9]{0,9})-ring");
  private static final Pattern SEMAPHORE_NAME =
      Pattern.compile(Pattern.quote(PREFIX) + "([1-9][0-9]{0,9})-(empty|full)");

  @Override
  public String name() {
    return "posix-shm";
  }

  @Override
  public String description() {
    return "POSIX shared memory: a producer JVM hands records to a consumer JVM through a ring in one shm_open object,"
        + " under two named semaphores";
  }

  /** The shared memory object of the demo with pid {@code demoPid}: "/ipcscope-demo-PID-ring". */
  static String objectName(long demoPid) {
    return PREFIX + demoPid + "-" + RING;
  }

  /** Named semaphore {@code which} ("empty", "full") of the demo: "/ipcscope-demo-PID-empty". */
  static String semaphoreName(long demoPid, String which) {
    return PREFIX + demoPid + "-" + which;
  }

  /** The pid of the demo whose object is {@code name} ({@link #objectName} backwards), or empty. */
  static OptionalLong objectDemoPid(String name) {
    return pid(OBJECT_NAME.matcher(name));
  }

  /** The pid of the demo whose semaphore is {@code name} ({@link #semaphoreName} backwards), or empty. */
  static OptionalLong semaphoreDemoPid(String name) {
    return pid(SEMAPHORE_NAME.matcher(name));
  }

  private static OptionalLong pid(Matcher m) {
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** A killed demo leaves its object, its semaphores and the run's temp dir. */
  @Override
  public List<Leftovers> leftovers() {
    return List.of(PosixShm.leftovers(false, PosixShmWorkload::objectDemoPid),
        PosixShm.leftovers(true, PosixShmWorkload::semaphoreDemoPid), Run.tempDirs(name()));
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    long bytes = ShmRing.bytes(size);
    String ring = objectName(run.pid());
    String empty = semaphoreName(run.pid(), EMPTY);
    String full = semaphoreName(run.pid(), FULL);
    Process consumer;
    Process producer;
    try (PosixShm.Created o = run.closeAtEnd(PosixShm.createObject(ring, bytes));
        PosixShm.Created e = run.closeAtEnd(PosixShm.createSemaphore(empty, ShmRing.slots(size)));
        PosixShm.Created f = run.closeAtEnd(PosixShm.createSemaphore(full, 0))) {
      List<String> names = List.of(ring, Long.toString(bytes), empty, full);
      consumer = run.startChild("consumer", Run.Stdio.CONTROL, names, Map.of());
      producer = run.startChild("producer", Run.Stdio.CONTROL, names, Map.of());
      run.announce();
      run.await(producer, consumer);
    }

    RingCounts counts = RingCounts.read(run, name());
    long p = producer.pid();
    long c = consumer.pid();
    run.sharedMemory(MECHANISM, RING, PosixShm.objectPath(ring).toString(), bytes, List.of(p, c), counts.attaches());
    String emptyPath = PosixShm.semaphorePath(empty).toString();
    String fullPath = PosixShm.semaphorePath(full).toString();
    run.semaphore(TruthSemaphore.POSIX, EMPTY, emptyPath, p, 0, counts.handovers());
    run.semaphore(TruthSemaphore.POSIX, EMPTY, emptyPath, c, counts.handovers(), 0);
    run.semaphore(TruthSemaphore.POSIX, FULL, fullPath, p, counts.handovers(), 0);
    run.semaphore(TruthSemaphore.POSIX, FULL, fullPath, c, 0, counts.handovers());
    run.childExitSignals(consumer, producer);
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    String ring = child.arg(0);
    long bytes = Long.parseLong(child.arg(1));
    try (SharedMapping mapping = SharedMapping.posix(ring, bytes);
        PosixShm.Semaphore empty = PosixShm.Semaphore.open(child.arg(2));
        PosixShm.Semaphore full = PosixShm.Semaphore.open(child.arg(3))) {
      RingCounts.play(role, child, new ShmRing(mapping.buffer(), child.size()), empty, full);
    }
  }
}
