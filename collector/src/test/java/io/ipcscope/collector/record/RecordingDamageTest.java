package io.ipcscope.collector.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.probes.event.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingDamageTest {

  private static final Pattern TRUNCATED = Pattern.compile(
      "recording truncated at byte (\\d+) \\(record (\\d+)\\): replayed the (\\d+) records before it");

  @TempDir Path dir;

  /** Where each record ends in a good recording, and whether it is an event. */
  private record Extent(long end, boolean event) {}

  @Test
  void aRecordingCutAtAnyByteReplaysEveryCompleteRecordBeforeTheCutAndSaysWhere() throws Exception {
    Path whole = dir.resolve("whole.bin");
    new Scenario().record(whole);
    byte[] bytes = Files.readAllBytes(whole);
    List<Extent> extents = new ArrayList<>();
    long headerEnd;
    try (RecordingReader reader = RecordingReader.open(whole)) {
      headerEnd = reader.offset();
      for (RecordingEntry e = reader.next(); e != null; e = reader.next()) {
        extents.add(new Extent(reader.offset(), e instanceof RecordingEntry.Event));
      }
    }
    // the snapshot, two processes' details, a note, 44 events, 13 ticks, 3 answers, a drop, the drain and the end
    assertThat(extents).hasSize(67);
    Path cut = dir.resolve("cut.bin");
    for (int length = 0; length < bytes.length; length++) {
      Files.write(cut, Arrays.copyOf(bytes, length));
      if (length < headerEnd) {
        assertThatThrownBy(() -> Replay.run(cut, Scenario.PEER_WAIT, r -> { }))
            .as("cut at %d", length).isInstanceOf(NotARecordingException.class)
            .hasMessageMatching(length == 0 ? ".* is empty: not an ipcscope recording"
                : ".* ends at byte " + length + ", inside its header: not a complete ipcscope recording");
        continue;
      }
      final int n = length;
      long complete = extents.stream().filter(x -> x.end() <= n).count();
      long events = extents.stream().filter(x -> x.end() <= n && x.event()).count();
      long lastEnd = complete == 0 ? headerEnd : extents.get((int) complete - 1).end();
      List<ResolvedEvent> out = new ArrayList<>();
      ReplayResult result = Replay.run(cut, Scenario.PEER_WAIT, out::add);
      assertThat(result.error()).as("cut at %d", length).isPresent();
      Matcher m = TRUNCATED.matcher(result.error().get());
      assertThat(m.matches()).as("cut at %d: %s", length, result.error().get()).isTrue();
      assertThat(Long.parseLong(m.group(1))).as("cut at %d", length).isBetween(lastEnd, (long) length);
      assertThat(Long.parseLong(m.group(2))).as("cut at %d", length).isEqualTo(complete + 2);
      assertThat(Long.parseLong(m.group(3))).as("cut at %d", length).isEqualTo(complete + 1);
      assertThat(result.events()).as("cut at %d", length).isEqualTo(events);
      assertThat(out).as("cut at %d: every replayed event is handed on", length).hasSize((int) events);
    }
  }

  @Test
  void aCorruptBlockStopsTheReplayAtItsStartWithEverythingBeforeReplayed() throws Exception {
    Path file = dir.resolve("rec.bin");
    RecordingHeader header = new RecordingHeader(1, "h", "k", 0, 0, Scenario.PEER_WAIT, 1);
    long secondBlock;
    try (RecordingWriter writer = RecordingWriter.create(file, header)) {
      ModelDriver driver = new ModelDriver(FakeHost.shellAndCat(), Scenario.PEER_WAIT, r -> { }, writer);
      for (int i = 0; i < 10; i++) {
        driver.accept(TestEvents.pipe(1_000 + i, 11, "cat", Operation.READ, 77, 5));
      }
      writer.flush();
      secondBlock = writer.bytesWritten();
      for (int i = 0; i < 10; i++) {
        driver.accept(TestEvents.pipe(2_000 + i, 11, "cat", Operation.READ, 77, 5));
      }
      driver.drain();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[(int) secondBlock + 20] ^= 0x40;
    Files.write(file, bytes);

    List<ResolvedEvent> out = new ArrayList<>();
    ReplayResult result = Replay.run(file, Scenario.PEER_WAIT, out::add);
    assertThat(out).hasSize(10);
    assertThat(result.events()).isEqualTo(10);
    assertThat(result.error()).contains("recording corrupt at byte " + secondBlock
        + " (record 15): block checksum mismatch; replayed the 14 records before it");
  }
}
