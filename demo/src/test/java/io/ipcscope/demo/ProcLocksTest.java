package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcLocksTest {

  /** /proc/locks of Linux 6.18 with a flock blocked behind another and a record lock blocked behind another. */
  private static final String SAMPLE = """
      1: POSIX  ADVISORY  WRITE 1785 fe:00:2146949 0 99
      1: -> POSIX  ADVISORY  WRITE 1826 fe:00:2146949 0 99
      2: FLOCK  ADVISORY  WRITE 1762 fe:00:2146948 0 EOF
      2: -> FLOCK  ADVISORY  WRITE 1781 fe:00:2146948 0 EOF
      3: OFDLCK ADVISORY  READ  -1 00:1b:17 0 EOF
      4: LEASE  ACTIVE    READ  640 00:19:4242 0 EOF
      not a lock line
      """;

  @Test
  void parsesHeldLocksAndBlockedRequests() {
    List<ProcLocks.Entry> entries = ProcLocks.parse(SAMPLE);

    assertThat(entries).containsExactly(
        new ProcLocks.Entry(false, "POSIX", 1785, 2146949),
        new ProcLocks.Entry(true, "POSIX", 1826, 2146949),
        new ProcLocks.Entry(false, "FLOCK", 1762, 2146948),
        new ProcLocks.Entry(true, "FLOCK", 1781, 2146948),
        new ProcLocks.Entry(false, "OFDLCK", -1, 17),
        new ProcLocks.Entry(false, "LEASE", 640, 4242));
  }

  @Test
  void tellsHoldersFromWaitersByTypeInodeAndPid() {
    List<ProcLocks.Entry> entries = ProcLocks.parse(SAMPLE);

    assertThat(ProcLocks.holds(entries, ProcLocks.FLOCK, 2146948, 1762)).isTrue();
    assertThat(ProcLocks.waits(entries, ProcLocks.FLOCK, 2146948, 1762)).isFalse();
    assertThat(ProcLocks.waits(entries, ProcLocks.FLOCK, 2146948, 1781)).isTrue();
    assertThat(ProcLocks.holds(entries, ProcLocks.FLOCK, 2146948, 1781)).isFalse();
    // Another kind of lock on another inode by the same numbers does not count.
    assertThat(ProcLocks.waits(entries, ProcLocks.POSIX, 2146948, 1781)).isFalse();
    assertThat(ProcLocks.waits(entries, ProcLocks.FLOCK, 2146949, 1781)).isFalse();
    assertThat(ProcLocks.absent(entries, ProcLocks.POSIX, 2146949, 1826)).isFalse();
    assertThat(ProcLocks.absent(entries, ProcLocks.POSIX, 2146949, 1781)).isTrue();
  }

  @Test
  void seesAFlockOfThisProcessInTheRealFile(@TempDir Path dir) throws Exception {
    Path file = Files.createFile(dir.resolve("lock"));
    long inode = (Long) Files.getAttribute(file, "unix:ino");
    long pid = ProcessHandle.current().pid();
    int fd = Libc.open(file, Libc.O_RDWR | Libc.O_CLOEXEC, 0);
    try {
      Libc.flock(file, fd, Libc.LOCK_EX);
      assertThat(ProcLocks.holds(ProcLocks.read(), ProcLocks.FLOCK, inode, pid)).isTrue();
      Libc.flock(file, fd, Libc.LOCK_UN);
      assertThat(ProcLocks.absent(ProcLocks.read(), ProcLocks.FLOCK, inode, pid)).isTrue();

      Libc.fcntlLock(file, fd, true, 0, 100);
      assertThat(ProcLocks.holds(ProcLocks.read(), ProcLocks.POSIX, inode, pid)).isTrue();
      Libc.fcntlLock(file, fd, false, 0, 100);
      assertThat(ProcLocks.absent(ProcLocks.read(), ProcLocks.POSIX, inode, pid)).isTrue();
    } finally {
      Libc.close(file, fd);
    }
  }
}
