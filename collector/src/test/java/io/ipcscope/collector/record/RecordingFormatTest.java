package io.ipcscope.collector.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingFormatTest {

  @TempDir Path dir;

  private static final RecordingHeader HEADER = new RecordingHeader(1, "höst", "6.1.0-amd64", -5L, 1_000L, 200L, 7);

  /** Every field at its extremes, a unicode path, a failed call, time going backwards, an event repeated. */
  private static List<IpcEvent> extremes() {
    IpcEvent max = new IpcEvent(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
        Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
        Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Mechanism.BENCH, Operation.LINK,
        Integer.MAX_VALUE, "fifteen-chars-x", Integer.MAX_VALUE, "/tmp/fïfo €/😀/" + "x".repeat(300));
    IpcEvent min = new IpcEvent(Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE,
        Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE,
        Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE, Mechanism.PROCESS, Operation.READ,
        Integer.MIN_VALUE, "", Integer.MIN_VALUE, "");
    IpcEvent failed = new IpcEvent(5_000, 123_456_789, 77, 0, -1, 42, 43, 0, 0, 0, -11, 3, 0, 0, Mechanism.PIPE,
        Operation.READ, 0, "cat", 0, "");
    IpcEvent earlier = new IpcEvent(4_000, 123_456_789, 77, 0, -1, 42, 43, 0, 0, 0, -11, 3, 0, 0, Mechanism.PIPE,
        Operation.READ, 0, "cat", 0, "");
    IpcEvent fifo = new IpcEvent(6_000, 1, 9, 100, 1, 44, 44, 42, 43, 259 << 20 | 3, 100, 4, 7, -6, Mechanism.FIFO,
        Operation.WRITE, 2, "ü-writer", 1, "/run/日本語.fifo");
    return List.of(max, min, failed, failed, earlier, fifo, max, fifo);
  }

  @Test
  void everyFieldOfEveryRecordComesBackAsWritten() throws Exception {
    Path file = dir.resolve("rec.bin");
    HostSnapshot snapshot = new HostSnapshot(
        List.of(new ProcessInfo(new ProcessKey(1, 2), 0, "init", "/sbin/init", 0, 0),
            new ProcessInfo(new ProcessKey(Integer.MAX_VALUE, Long.MAX_VALUE), -1, "zombie ☠", "", 99, -1)),
        List.of(new HostSnapshot.Holding(ChannelKey.fifo(8 << 20 | 1, 55), 1, true, false, "/run/f ifo"),
            new HostSnapshot.Holding(ChannelKey.pipe(-3), 2, false, true, "")));
    ChannelKey flow = ChannelKey.inetFlow(Mechanism.TCP, 0x7f00_0001_1f90L, 0x7f00_0001_d431L);
    try (RecordingWriter writer = RecordingWriter.create(file, HEADER)) {
      writer.snapshot(snapshot);
      extremes().forEach(writer::event);
      writer.tick(Long.MIN_VALUE);
      writer.lost(Long.MAX_VALUE, Long.MAX_VALUE);
      writer.note("trace.follow", "");
      writer.holds(-1, flow, false);
      writer.openChannels(3, Set.of(ChannelKey.pipe(1), flow));
      writer.mountPoint(-1, "/mnt/ü");
      writer.drain();
    }

    List<RecordingEntry> read = new ArrayList<>();
    try (RecordingReader reader = RecordingReader.open(file)) {
      assertThat(reader.header()).isEqualTo(HEADER);
      for (RecordingEntry e = reader.next(); e != null; e = reader.next()) {
        read.add(e);
      }
      assertThat(reader.records()).isEqualTo(18);
    }
    List<RecordingEntry> expected = new ArrayList<>();
    expected.add(new RecordingEntry.Snapshot(snapshot));
    extremes().forEach(e -> expected.add(new RecordingEntry.Event(e)));
    expected.addAll(List.of(new RecordingEntry.Tick(Long.MIN_VALUE),
        new RecordingEntry.Lost(Long.MAX_VALUE, Long.MAX_VALUE), new RecordingEntry.Note("trace.follow", ""),
        new RecordingEntry.Holds(-1, flow, false), new RecordingEntry.OpenChannels(3, Set.of(ChannelKey.pipe(1), flow)),
        new RecordingEntry.MountPoint(-1, "/mnt/ü"), new RecordingEntry.Drain(), new RecordingEntry.End(18)));
    assertThat(read).isEqualTo(expected);
  }

  @Test
  void aStringIsWrittenOnceAndAnUnchangedFieldNotAtAll() throws Exception {
    Path file = dir.resolve("rec.bin");
    String path = "/tmp/a-rather-long-fifo-path-that-would-cost-plenty-if-repeated";
    try (RecordingWriter writer = RecordingWriter.create(file, HEADER)) {
      for (int i = 0; i < 1000; i++) {
        // two commands alternate: comm and path change every event, yet each string is in the file once
        writer.event(new IpcEvent(2_000 + i * 1_000L, 1, 9, 100, 0, 10 + i % 2, 10 + i % 2, 0, 0, 3, 100, 4, 0, 0,
            Mechanism.FIFO, Operation.WRITE, 0, i % 2 == 0 ? "producer" : "consumer", 1, i % 2 == 0 ? path : ""));
      }
    }
    byte[] bytes = Files.readAllBytes(file);
    assertThat(occurrences(bytes, path)).isEqualTo(1);
    assertThat(occurrences(bytes, "producer")).isEqualTo(1);
    assertThat(occurrences(bytes, "consumer")).isEqualTo(1);
    // per event: tag, mask (3 bytes: path is bit 19), ts delta (2), pid, tid, comm ref, path ref
    assertThat(bytes.length).isLessThan(1000 * 10 + 200);
  }

  @Test
  void aFileThatIsNotARecordingIsSaidToBeNoneInOneLine() throws Exception {
    Path json = Files.writeString(dir.resolve("events.jsonl"), "{\"ts\":1}\n");
    assertThatThrownBy(() -> Replay.run(json, 0, r -> { }))
        .isInstanceOf(NotARecordingException.class)
        .hasMessage(json + " is not an ipcscope recording (it starts with 7b 22 74 73)");
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    assertThatThrownBy(() -> Replay.run(empty, 0, r -> { }))
        .hasMessage(empty + " is empty: not an ipcscope recording");
  }

  @Test
  void aNewerVersionIsRefusedByNumber() throws Exception {
    byte[] magic = RecordingFormat.MAGIC;
    byte[] bytes = new byte[magic.length + 1];
    System.arraycopy(magic, 0, bytes, 0, magic.length);
    bytes[magic.length] = 2;
    Path file = Files.write(dir.resolve("v2.bin"), bytes);
    assertThatThrownBy(() -> RecordingReader.open(file))
        .isInstanceOf(NotARecordingException.class)
        .hasMessage(file + " is a version 2 ipcscope recording; this ipcscope reads version 1");
  }

  private static int occurrences(byte[] haystack, String needle) {
    byte[] n = needle.getBytes(StandardCharsets.UTF_8);
    int count = 0;
    outer:
    for (int i = 0; i + n.length <= haystack.length; i++) {
      for (int j = 0; j < n.length; j++) {
        if (haystack[i + j] != n[j]) {
          continue outer;
        }
      }
      count++;
    }
    return count;
  }
}
