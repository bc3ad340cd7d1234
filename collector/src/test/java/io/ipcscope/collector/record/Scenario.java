package io.ipcscope.collector.record;

import static io.ipcscope.collector.record.TestEvents.pipe;
import static io.ipcscope.collector.record.TestEvents.shmAttach;

import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.probes.event.Operation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small live run that asks the host every kind of question: a write whose reader never shows up (so its holders
 * are checked), a mapping of a /dev/shm file (its mount point), 40 pipes held by one shell (its fd table is
 * reconciled after ten seconds of ticks), a drop and a note.
 */
final class Scenario {

  static final long PEER_WAIT = 200_000_000L;
  static final long T0 = 1_000_000_000_000L;

  final List<ResolvedEvent> live = new ArrayList<>();
  final FakeHost host = FakeHost.shellAndCat();

  /** Records the run into {@code file}; returns what the live model handed on. */
  List<ResolvedEvent> record(Path file) throws IOException {
    RecordingHeader header = new RecordingHeader(1, "testhost", "6.1.0", 1_700_000_000_000_000_000L - T0, T0,
        PEER_WAIT, 4242);
    try (RecordingWriter writer = RecordingWriter.create(file, header)) {
      ModelDriver driver = new ModelDriver(host, PEER_WAIT, live::add, writer);
      writer.note("trace.follow", "10");
      driver.accept(pipe(T0 + 1_000, 10, "sh", Operation.WRITE, 77, 5));
      driver.tick(T0 + 300_000_000L); // no reader seen: the holders are asked
      driver.accept(shmAttach(T0 + 400_000_000L, 10, 26, 9, "ring"));
      for (int i = 0; i < 40; i++) {
        driver.accept(pipe(T0 + 500_000_000L + i, 10, "sh", Operation.CREATE, 1000 + i, 0));
      }
      writer.lost(T0 + 600_000_000L, 3);
      for (long t = 1; t <= 12; t++) {
        driver.tick(T0 + t * 1_000_000_000L); // one reconcile of the heavy holder, at 11 s
      }
      driver.accept(pipe(T0 + 12_500_000_000L, 11, "cat", Operation.READ, 77, 5));
      driver.accept(pipe(T0 + 12_600_000_000L, 10, "sh", Operation.WRITE, 77, 7));
      driver.drain();
    }
    return live;
  }
}
