package io.ipcscope.probes.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The decoder on hand-built records (src/test/resources/fixtures, made by make-fixtures.py there). */
class EventDecoderTest {

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = EventDecoderTest.class.getResourceAsStream("/fixtures/" + name)) {
      return in.readAllBytes();
    }
  }

  /** The record placed at an odd offset of a larger direct buffer, as in the ring. */
  private static ByteBuffer inRing(byte[] record, int offset) {
    ByteBuffer b = ByteBuffer.allocateDirect(offset + record.length + 64).order(ByteOrder.LITTLE_ENDIAN);
    b.put(offset, record);
    return b;
  }

  @Test
  void decodesAPipeWrite() throws IOException {
    byte[] rec = fixture("pipe-write.bin");
    assertThat(rec).hasSize(EventLayout.EVENT_SIZE);
    IpcEvent e = new EventDecoder().decode(inRing(rec, 24), 24, rec.length);
    assertThat(e).isEqualTo(new IpcEvent(1_000_000_123L, 987_654_321L, 123456, 4096, 0, 1201, 1201, 0, 0, 14, 4096,
        1, 0, 0, Mechanism.PIPE, Operation.WRITE, 0, "head", 1, ""));
    assertThat(e.devMajor()).isZero();
    assertThat(e.devMinor()).isEqualTo(14);
    assertThat(e.failed()).isFalse();
  }

  @Test
  void decodesASignalSend() throws IOException {
    byte[] rec = fixture("signal-send.bin");
    IpcEvent e = new EventDecoder().decode(inRing(rec, 0), 0, rec.length);
    assertThat(e.mechanism()).isEqualTo(Mechanism.SIGNAL);
    assertThat(e.op()).isEqualTo(Operation.SEND);
    assertThat(e.pid()).isEqualTo(1300);
    assertThat(e.peerPid()).isEqualTo(1301);
    assertThat(e.aux()).isEqualTo(10);
    assertThat(e.fd()).isEqualTo(-1);
    assertThat(e.comm()).isEqualTo("sh");
    assertThat(e.syscallNr()).isEqualTo(62);
    assertThat(e.path()).isEmpty();
  }

  @Test
  void decodesAPathRecordByItsLength() throws IOException {
    byte[] rec = fixture("fifo-open.bin");
    assertThat(rec).hasSize(EventLayout.PATH_EVENT_SIZE);
    IpcEvent e = new EventDecoder().decode(inRing(rec, 8), 8, rec.length);
    assertThat(e.mechanism()).isEqualTo(Mechanism.FIFO);
    assertThat(e.op()).isEqualTo(Operation.OPEN);
    assertThat(e.path()).isEqualTo("/tmp/ipcscope.fifo");
    assertThat(e.comm()).as("a 16-byte comm without NUL").isEqualTo("writer-with-a-lo");
    assertThat(e.devMajor()).isEqualTo(8);
    assertThat(e.devMinor()).isEqualTo(1);
    assertThat(e.channelId()).isEqualTo(777);
    assertThat(e.extra()).isEqualTo(1);
    assertThat(e.tid()).isEqualTo(1401);
  }

  @Test
  void skipsAndCountsWhatANewerObjectMightSend() throws IOException {
    EventDecoder d = new EventDecoder();
    byte[] mech = fixture("unknown-mechanism.bin");
    byte[] op = fixture("unknown-op.bin");
    assertThat(d.decode(inRing(mech, 0), 0, mech.length)).isNull();
    assertThat(d.decode(inRing(op, 0), 0, op.length)).isNull();
    assertThat(d.unknownSkipped()).isEqualTo(2);
    assertThat(d.decode(inRing(op, 0), 0, 50)).isNull();
    assertThat(d.malformedSkipped()).isEqualTo(1);
  }

  @Test
  void commStringsComeFromTheCache() throws IOException {
    byte[] rec = fixture("pipe-write.bin");
    EventDecoder d = new EventDecoder();
    IpcEvent a = d.decode(inRing(rec, 0), 0, rec.length);
    IpcEvent b = d.decode(inRing(rec, 16), 16, rec.length);
    assertThat(b.comm()).isSameAs(a.comm());
    rec[EventLayout.COMM] = 'H';
    IpcEvent c = d.decode(inRing(rec, 0), 0, rec.length);
    assertThat(c.comm()).isEqualTo("Head");
  }
}
