package io.ipcscope.demo;

import io.ipcscope.demo.truth.TruthLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * File locks taken in strict alternation, so that who waited for whom is known exactly. Two child
 * JVMs, "first" and "second", lock one file N times each: in phase 1 the file {@value #LOCK_FILE}
 * with flock(2) LOCK_EX, in phase 2 bytes 0..99 of {@value #RANGE_FILE} with fcntl(2) F_SETLKW
 * F_WRLCK (a POSIX record lock; one descriptor stays open for the whole phase, as closing any
 * descriptor of the file drops the process's record locks). The demo creates both files in the
 * run's temp dir.
 *
 * <p>The children exchange nothing but the locks: each learns what the other does from
 * /proc/locks ({@link ProcLocks}), polled every millisecond. The first takes the lock while the
 * second waits until /proc/locks shows it held; then the second's request blocks. The holder waits
 * until /proc/locks shows the other's request blocked on the file, unlocks, waits until it shows
 * the other holding the lock (the kernel hands nothing over: a woken waiter still has to take the
 * lock, and a holder locking again at once could beat it), and locks again: its request blocks
 * behind the other. The last holder unlocks without waiting. Before closing its descriptor each
 * waits until the other is off the file, so that the close finds no lock list to walk.
 *
 * <p>Truth: per phase, N acquisitions of each child; N of the second's slept behind the first,
 * N - 1 of the first's (all but its first) behind the second; a SIGCHLD from each child. The
 * children learn N from --messages; --rate spaces their acquisitions; --duration is refused (the
 * two could not agree on N without talking).
 */
final class FileLockWorkload implements Workload {

  static final String LOCK_FILE = "lock";
  static final String RANGE_FILE = "range-lock";
  static final long RANGE_START = 0;
  static final long RANGE_LENGTH = 100;

  /** Where the demo tells the first child the second's pid (the first starts before it). */
  private static final String SECOND_PID_FILE = "second.pid";

  /** How long a child waits for the other to show up in /proc/locks, beyond a --rate slot. */
  static final long WAIT_LIMIT_MILLIS = 10_000;

  /** The two phases, in order: what is locked, how, and how /proc/locks calls it. */
  enum Phase {
    FLOCK(TruthLock.FLOCK, LOCK_FILE, ProcLocks.FLOCK),
    POSIX(TruthLock.POSIX, RANGE_FILE, ProcLocks.POSIX);

    final String kind;
    final String file;
    final String procType;

    Phase(String kind, String file, String procType) {
      this.kind = kind;
      this.file = file;
      this.procType = procType;
    }

    void lock(Path path, int fd) {
      if (this == FLOCK) {
        Libc.flock(path, fd, Libc.LOCK_EX);
      } else {
        Libc.fcntlLock(path, fd, true, RANGE_START, RANGE_LENGTH);
      }
    }

    void unlock(Path path, int fd) {
      if (this == FLOCK) {
        Libc.flock(path, fd, Libc.LOCK_UN);
      } else {
        Libc.fcntlLock(path, fd, false, RANGE_START, RANGE_LENGTH);
      }
    }
  }

  @Override
  public String name() {
    return "file-lock";
  }

  @Override
  public String description() {
    return "File locks: two JVMs take turns on a flock(2) lock, then on an fcntl(2) record lock, each waiting for the other";
  }

  /** Both children must know N in advance. */
  @Override
  public boolean takesDuration() {
    return false;
  }

  @Override
  public void run(Run run) throws Exception {
    if (run.settings().continuous()) {
      throw new IllegalArgumentException(
          "file-lock takes --messages, not --duration: both children must know in advance how often to lock");
    }
    long n = run.settings().messages();
    Path dir = run.tempDir();
    Path lockFile = Files.createFile(dir.resolve(LOCK_FILE));
    Path rangeFile = Files.createFile(dir.resolve(RANGE_FILE));
    Path secondPid = dir.resolve(SECOND_PID_FILE);
    Process first = run.startChild("first", Run.Stdio.CONTROL,
        List.of(lockFile.toString(), rangeFile.toString(), secondPid.toString()), Map.of());
    Process second = run.startChild("second", Run.Stdio.CONTROL,
        List.of(lockFile.toString(), rangeFile.toString(), Long.toString(first.pid())), Map.of());
    Run.writeAtomically(secondPid, Long.toString(second.pid()));
    run.announce();
    run.await(first, second);

    for (Phase phase : Phase.values()) {
      long firstAcquires = run.resultCount("first", phase.kind + ".acquires");
      long secondAcquires = run.resultCount("second", phase.kind + ".acquires");
      long firstWaits = run.resultCount("first", phase.kind + ".waits");
      long secondWaits = run.resultCount("second", phase.kind + ".waits");
      if (firstAcquires != n || secondAcquires != n || firstWaits != n - 1 || secondWaits != n) {
        throw new IOException("file-lock: " + phase.kind + " lock taken " + firstAcquires + " times by first ("
            + firstWaits + " after waiting) and " + secondAcquires + " times by second (" + secondWaits
            + " after waiting), not " + n + " (" + (n - 1) + ") and " + n + " (" + n + ")");
      }
      String path = dir.resolve(phase.file).toString();
      run.lock(phase.kind, phase.file, path, first.pid(), firstAcquires);
      run.lock(phase.kind, phase.file, path, second.pid(), secondAcquires);
      run.lockWait(phase.kind, phase.file, second.pid(), first.pid(), secondWaits);
      run.lockWait(phase.kind, phase.file, first.pid(), second.pid(), firstWaits);
    }
    run.childExitSignals(first, second);
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    boolean first = switch (role) {
      case "first" -> true;
      case "second" -> false;
      default -> {
        Workload.super.child(role, child);
        yield false;
      }
    };
    Path lockFile = Path.of(child.arg(0));
    Path rangeFile = Path.of(child.arg(1));
    long waitLimitMillis = WAIT_LIMIT_MILLIS + (child.rate() > 0 ? (long) Math.ceil(2000 / child.rate()) : 0);
    Other other = first
        ? new Other("second", secondPid(Path.of(child.arg(2)), waitLimitMillis), waitLimitMillis)
        : new Other("first", Long.parseLong(child.arg(2)), waitLimitMillis);
    take(Phase.FLOCK, lockFile, first, other, child);
    take(Phase.POSIX, rangeFile, first, other, child);
  }

  /** The second child's pid, once the demo wrote it. */
  private static long secondPid(Path file, long waitLimitMillis) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + waitLimitMillis * 1_000_000;
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the demo never wrote the second child's pid to " + file);
      }
      Thread.sleep(1);
    }
    return Long.parseLong(Files.readString(file).strip());
  }

  /** One phase in one child: N acquisitions in alternation with the other; reports KIND.acquires and KIND.waits. */
  private static void take(Phase phase, Path file, boolean first, Other other, ChildContext child) throws Exception {
    long inode = (Long) Files.getAttribute(file, "unix:ino");
    Pacer pacer = child.pacer();
    long n = child.messages();
    long acquires = 0;
    long waits = 0;
    int fd = Libc.open(file, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
    try {
      boolean otherHolds = false;
      if (!first) {
        other.await(phase, file, inode, "hold the lock", e -> ProcLocks.holds(e, phase.procType, inode, other.pid));
        otherHolds = true;
      }
      while (acquires < n) {
        if (!pacer.next()) {
          throw new IllegalStateException("pacer ended after " + pacer.count() + " of " + n);
        }
        // When the other holds the lock, it unlocks only once it sees this request blocked.
        phase.lock(file, fd);
        acquires++;
        if (otherHolds) {
          waits++;
        }
        // The first's every acquisition is followed by one of the second; the second's last one by none.
        boolean otherLocksAgain = first || acquires < n;
        if (otherLocksAgain) {
          other.await(phase, file, inode, "wait for the lock", e -> ProcLocks.waits(e, phase.procType, inode, other.pid));
        }
        phase.unlock(file, fd);
        otherHolds = false;
        if (otherLocksAgain && acquires < n) {
          other.await(phase, file, inode, "take the lock", e -> ProcLocks.holds(e, phase.procType, inode, other.pid));
          otherHolds = true;
        }
      }
      other.await(phase, file, inode, "be done with the lock", e -> ProcLocks.absent(e, phase.procType, inode, other.pid));
    } finally {
      Libc.close(file, fd);
    }
    child.report(phase.kind + ".acquires", acquires);
    child.report(phase.kind + ".waits", waits);
  }

  /** The other child, as seen through /proc/locks. */
  private record Other(String role, long pid, long waitLimitMillis) {

    void await(Phase phase, Path file, long inode, String what, Predicate<List<ProcLocks.Entry>> seen)
        throws IOException, InterruptedException {
      long deadline = System.nanoTime() + waitLimitMillis * 1_000_000;
      while (!seen.test(ProcLocks.read())) {
        if (System.nanoTime() > deadline) {
          throw new IOException("waited " + waitLimitMillis + " ms in /proc/locks for " + role + " (pid " + pid
              + ") to " + what + " (" + phase.kind + " on " + file + ", inode " + inode + ")");
        }
        Thread.sleep(1);
      }
    }
  }
}
