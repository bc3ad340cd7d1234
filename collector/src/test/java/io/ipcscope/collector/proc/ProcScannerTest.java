package io.ipcscope.collector.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.model.ProcessTable;
import java.io.RandomAccessFile;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Seeding from the real /proc: what existed before tracing started. Needs no privileges. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcScannerTest {

  private final ProcessTable processes = new ProcessTable();
  private final ChannelTable channels = new ChannelTable();
  private final int self = (int) ProcessHandle.current().pid();

  @Test
  void thisProcessIsNamedWithItsParentAndStartTime() throws Exception {
    int seen = ProcScanner.system().seed(processes, channels);
    assertThat(seen).isGreaterThan(1);
    ProcessInfo me = processes.get(self).orElseThrow();
    assertThat(me.comm()).isEqualTo("java");
    assertThat(me.parentPid()).isEqualTo((int) ProcessHandle.current().parent().orElseThrow().pid());
    assertThat(me.exe()).isEqualTo(Files.readSymbolicLink(Path.of("/proc/self/exe")).toString());
    long startTicks = Long.parseLong(Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ")[19]);
    assertThat(me.key().startTicks()).isEqualTo(startTicks);
  }

  @Test
  void aPipeThatExistedBeforeIsHeldAtBothEnds() throws Exception {
    var before = pipeInodes().keySet();
    Pipe pipe = Pipe.open();
    try (var source = pipe.source(); var sink = pipe.sink()) {
      var created = new java.util.HashSet<>(pipeInodes().keySet());
      created.removeAll(before);
      assertThat(created).hasSize(1);
      long inode = created.iterator().next();
      ProcScanner.system().seed(processes, channels);
      assertThat(channels.holders(ChannelKey.pipe(inode))).containsExactly(self);
      assertThat(channels.holderPeer(ChannelKey.pipe(inode), 1, true)).as("a reader for a write").hasValue(self);
      assertThat(channels.holderPeer(ChannelKey.pipe(inode), 1, false)).as("a writer for a read").hasValue(self);
    }
  }

  @Test
  void aFifoThatWasOpenBeforeIsKnownByDeviceInodeAndPath(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("seed.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    try (RandomAccessFile open = new RandomAccessFile(fifo.toFile(), "rw")) { // O_RDWR: does not block
      long ino = (Long) Files.getAttribute(fifo, "unix:ino");
      long dev = (Long) Files.getAttribute(fifo, "unix:dev");
      ChannelKey key = ChannelKey.fifo(ChannelKey.kernelDev(dev), ino);
      ProcScanner.system().seed(processes, channels);
      assertThat(channels.holders(key)).containsExactly(self);
      assertThat(channels.path(key)).hasValue(fifo.toString());
    }
  }

  /** pipe:[inode] of every pipe fd this process holds, with how many fds point at it. */
  private static Map<Long, Long> pipeInodes() throws Exception {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (Exception e) {
          return "";
        }
      }).filter(link -> link.startsWith("pipe:["))
          .collect(java.util.stream.Collectors.groupingBy(
              link -> Long.parseLong(link.substring(6, link.length() - 1)), java.util.stream.Collectors.counting()));
    }
  }
}
