package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The C libraries uprobes go on, on this machine. */
class SharedLibrariesTest {

  @Test
  void thisProcesssOwnComesFirstAndEachFileOnce() throws IOException {
    String own = Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.endsWith("/libc.so.6"))
        .map(l -> l.substring(l.indexOf('/'))).findFirst().orElseThrow();

    List<String> libcs = SharedLibraries.libcs();

    assertThat(libcs).isNotEmpty().hasSizeLessThanOrEqualTo(SharedLibraries.MAX_LIBCS);
    assertThat(libcs.get(0)).isEqualTo(own);
    Set<Object> files = new HashSet<>();
    for (String libc : libcs) {
      assertThat(files.add(Files.readAttributes(Path.of(libc), "unix:dev,ino"))).as("%s once", libc).isTrue();
      assertThat(libc).endsWith("/libc.so.6");
    }
  }
}
