package io.ipcscope.collector.proc;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.HoldingCheck;
import io.ipcscope.probes.event.Mechanism;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a holding against the process's descriptor table in /proc: a pipe is held while some {@code fd/N} links to
 * {@code pipe:[INODE]}, a FIFO while one opens a file of its device and inode. Other channels, and processes that are
 * gone or unreadable, are taken on trust.
 */
public final class ProcHoldingCheck implements HoldingCheck {

  private final Path procRoot;

  public ProcHoldingCheck(Path procRoot) {
    this.procRoot = procRoot;
  }

  public static ProcHoldingCheck system() {
    return new ProcHoldingCheck(Path.of("/proc"));
  }

  @Override
  public boolean stillHolds(int pid, ChannelKey channel) {
    if (channel.mechanism() != Mechanism.PIPE && channel.mechanism() != Mechanism.FIFO) {
      return true;
    }
    String pipeName = "pipe:[" + channel.inode() + "]";
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(procRoot.resolve(pid + "/fd"))) {
      for (Path fd : fds) {
        if (holds(fd, channel, pipeName)) {
          return true;
        }
      }
      return false;
    } catch (IOException | RuntimeException e) {
      return true; // gone, or not ours to read: no evidence against the model
    }
  }

  private static boolean holds(Path fd, ChannelKey channel, String pipeName) {
    try {
      if (channel.mechanism() == Mechanism.PIPE) {
        return Files.readSymbolicLink(fd).toString().equals(pipeName);
      }
      var attrs = Files.readAttributes(fd, "unix:dev,ino");
      return ((Number) attrs.get("ino")).longValue() == channel.inode()
          && ChannelKey.kernelDev(((Number) attrs.get("dev")).longValue()) == channel.dev();
    } catch (IOException | RuntimeException e) {
      return false; // closed while we looked
    }
  }
}
