package io.ipcscope.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kernel limits from /proc/sys. */
final class Sysctl {

  private Sysctl() {}

  /**
   * The number in /proc/sys/{@code name} ("kernel/msgmax"). Reads whole lines: Files.readString
   * reads a sysctl file (size 0) one byte at a time and gets only the first.
   */
  static long read(String name) throws IOException {
    return Long.parseLong(Files.readAllLines(Path.of("/proc/sys", name)).get(0).strip());
  }

  /** As {@link #read}, or -1 when it cannot be read: for hints in error messages. */
  static long readOrUnknown(String name) {
    try {
      return read(name);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
