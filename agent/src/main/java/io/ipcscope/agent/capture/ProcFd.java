package io.ipcscope.agent.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** What the kernel calls a descriptor of this process: {@code pipe:[4711]}, {@code socket:[8123]}, a path. */
final class ProcFd {

  private ProcFd() {}

  /** Null when the descriptor is closed or /proc is not there. */
  static String name(int fd) {
    if (fd < 0) {
      return null;
    }
    try {
      Path link = Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd));
      return link.toString();
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }
}
