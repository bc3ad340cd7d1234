package io.ipcscope.agent.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The kernel's id of the calling thread, which the kernel events carry and Java does not expose: read once per
 * thread from /proc/thread-self ({@code <pid>/task/<tid>}) and kept in a thread local.
 */
final class NativeThreads {

  private static final Path THREAD_SELF = Paths.get("/proc/thread-self");
  private static final ThreadLocal<int[]> TID = ThreadLocal.withInitial(() -> new int[] {read()});

  private NativeThreads() {}

  static int current() {
    return TID.get()[0];
  }

  private static int read() {
    try {
      String link = Files.readSymbolicLink(THREAD_SELF).toString();
      return Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
    } catch (IOException | RuntimeException e) {
      return 0; // no /proc: the collector then joins by channel and time alone
    }
  }
}
