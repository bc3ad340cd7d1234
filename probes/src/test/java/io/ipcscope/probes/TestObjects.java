package io.ipcscope.probes;

import io.ipcscope.probes.event.Mechanism;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.opentest4j.TestAbortedException;

/** Probe objects for tests: the committed ones and the stand-in compiled from src/test/bpf. */
final class TestObjects {
  static final Path TEST_PROBE = Path.of("src/test/bpf/testprobe.bpf.o");
  static final Path MAIN_OBJECTS = Path.of("src/main/resources/io/ipcscope/probes/bpf");

  private TestObjects() {}

  /** testprobe.bpf.o as a probe object serving BENCH and SIGNAL. */
  static ProbeObject testProbe() {
    return new ProbeObject("testprobe.bpf.o", EnumSet.of(Mechanism.BENCH, Mechanism.SIGNAL), () -> {
      try {
        return Files.readAllBytes(TEST_PROBE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, false);
  }

  static List<ProbeObject> testProbeOnly() {
    return List.of(testProbe());
  }

  /** Aborts the test when a committed object has not landed yet (the C side commits them). */
  static void requireCommitted(String... files) {
    for (String f : files) {
      if (!Files.isRegularFile(MAIN_OBJECTS.resolve(f))) {
        throw new TestAbortedException(f + " is not committed yet under " + MAIN_OBJECTS);
      }
    }
  }
}
