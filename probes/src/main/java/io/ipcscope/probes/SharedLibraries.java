package io.ipcscope.probes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Where this host's shared libraries are, for uprobes: the ones this JVM has mapped are the system's own. */
final class SharedLibraries {

  private SharedLibraries() {}

  /**
   * The C library's file, as this process has it mapped (the JVM always maps it). Processes in containers with their
   * own libc are not covered by uprobes on this one.
   */
  static Optional<String> libc() {
    try (Stream<String> maps = Files.lines(Path.of("/proc/self/maps"))) {
      return maps.map(line -> line.substring(line.indexOf('/') < 0 ? line.length() : line.indexOf('/')))
          .filter(path -> path.endsWith("/libc.so.6"))
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
