package io.ipcscope.collector.record;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Reads a recording record by record, one block in memory at a time. The first bad record (the file ends inside it,
 * or its bytes make no sense, or its block's checksum does not match) ends the reading with a
 * {@link DamagedRecordingException} naming its offset; every record before it was good. Not thread-safe.
 */
public final class RecordingReader implements Closeable {

  private final InputStream in;
  private final String name;
  private final int version;
  private final CRC32C crc = new CRC32C();
  private final ByteCursor cursor = new ByteCursor();
  private final RecordDecoder decoder = new RecordDecoder(cursor);
  private RecordingHeader header;
  private byte[] payload = new byte[RecordingFormat.BLOCK_BYTES + 1024];
  /** File offset of the next byte {@link #in} gives. */
  private long streamOffset;
  /** File offset of payload[0]. */
  private long payloadOffset;
  /** False for the last block of a file cut inside it: its records end where the bytes do. */
  private boolean blockComplete = true;
  private long records;
  private RecordingEntry peeked;
  private DamagedRecordingException damage;
  private boolean ended;

  private RecordingReader(InputStream in, String name) throws IOException {
    this.in = in;
    this.name = name;
    this.version = readPreamble();
    readHeader();
  }

  /** Opens a recording and reads its header. */
  public static RecordingReader open(Path file) throws IOException {
    InputStream stream = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      return new RecordingReader(stream, file.toString());
    } catch (IOException | RuntimeException e) {
      stream.close();
      throw e;
    }
  }

  /** Reads just the header of a recording. */
  public static RecordingHeader readHeader(Path file) throws IOException {
    try (RecordingReader reader = open(file)) {
      return reader.header();
    }
  }

  public RecordingHeader header() {
    return header;
  }

  /** The next record, without consuming it; null after the end record. */
  public RecordingEntry peek() throws DamagedRecordingException {
    if (peeked == null) {
      peeked = read();
    }
    return peeked;
  }

  /** The next record; null after the end record. */
  public RecordingEntry next() throws DamagedRecordingException {
    RecordingEntry entry = peek();
    peeked = null;
    return entry;
  }

  /** Good records read so far, the header and a peeked one included. */
  public long records() {
    return records;
  }

  /** The file offset of the next record to read (of the peeked one, if any: it is not consumed). */
  public long offset() {
    return payloadOffset + cursor.position();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private RecordingEntry read() throws DamagedRecordingException {
    if (damage != null) {
      throw damage;
    }
    if (ended) {
      return null;
    }
    try {
      while (!cursor.hasRemaining()) {
        if (!blockComplete) {
          throw damaged(payloadOffset + cursor.position(), true, "");
        }
        if (!readBlock()) {
          throw damaged(streamOffset, true, "");
        }
      }
      long start = payloadOffset + cursor.position();
      RecordingEntry entry;
      try {
        entry = decoder.next();
      } catch (ByteCursor.Underflow e) {
        throw blockComplete ? damaged(start, false, "a record runs past the end of its block")
            : damaged(start, true, "");
      } catch (ByteCursor.Malformed e) {
        throw damaged(start, false, e.getMessage());
      }
      records++;
      if (entry instanceof RecordingEntry.End end) {
        ended = true;
        if (end.records() != records) {
          records--;
          ended = false;
          throw damaged(start, false, "the end record counts " + end.records() + " records, not " + (records + 1));
        }
      }
      return entry;
    } catch (DamagedRecordingException e) {
      damage = e;
      throw e;
    }
  }

  private DamagedRecordingException damaged(long offset, boolean truncated, String detail) {
    return new DamagedRecordingException(offset, records + 1, truncated, detail);
  }

  /** Loads the next block; false at the end of the file. */
  private boolean readBlock() throws DamagedRecordingException {
    long blockStart = streamOffset;
    try {
      int first = in.read();
      if (first < 0) {
        return false;
      }
      streamOffset++;
      long length = first & 0x7F;
      for (int shift = 7; (first & 0x80) != 0; shift += 7) {
        first = in.read();
        if (first < 0) {
          throw damaged(blockStart, true, "");
        }
        streamOffset++;
        if (shift > 28) {
          throw damaged(blockStart, false, "a block length longer than 5 bytes");
        }
        length |= (long) (first & 0x7F) << shift;
      }
      if (length > RecordingFormat.MAX_BLOCK_BYTES) {
        throw damaged(blockStart, false, "a block of " + length + " bytes");
      }
      byte[] sum = in.readNBytes(4);
      streamOffset += sum.length;
      if (sum.length < 4) {
        throw damaged(blockStart, true, "");
      }
      if (payload.length < length) {
        payload = new byte[(int) length];
      }
      int n = in.readNBytes(payload, 0, (int) length);
      payloadOffset = streamOffset;
      streamOffset += n;
      blockComplete = n == length;
      if (blockComplete) {
        crc.reset();
        crc.update(payload, 0, n);
        int expected = (sum[0] & 0xFF) | (sum[1] & 0xFF) << 8 | (sum[2] & 0xFF) << 16 | (sum[3] & 0xFF) << 24;
        if ((int) crc.getValue() != expected) {
          throw damaged(blockStart, false, "block checksum mismatch");
        }
      }
      cursor.reset(payload, n);
      return true;
    } catch (DamagedRecordingException e) {
      throw e;
    } catch (IOException e) {
      throw damaged(blockStart, false, "cannot read " + name + ": " + e.getMessage());
    }
  }

  /** Magic and version; returns the version. */
  private int readPreamble() throws IOException {
    byte[] magic = in.readNBytes(RecordingFormat.MAGIC.length);
    streamOffset = magic.length;
    boolean prefix = Arrays.equals(magic, Arrays.copyOf(RecordingFormat.MAGIC, magic.length));
    if (magic.length == 0) {
      throw new NotARecordingException(name + " is empty: not an ipcscope recording");
    }
    if (!prefix) {
      throw new NotARecordingException(name + " is not an ipcscope recording (it starts with "
          + HexFormat.ofDelimiter(" ").formatHex(magic, 0, Math.min(magic.length, 4)) + ")");
    }
    if (magic.length < RecordingFormat.MAGIC.length) {
      throw cutInHeader();
    }
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int b = in.read();
      if (b < 0) {
        throw cutInHeader();
      }
      streamOffset++;
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0 || shift > 28) {
        break;
      }
    }
    if (v < 1 || v > RecordingFormat.VERSION) {
      throw new NotARecordingException(name + " is a version " + v + " ipcscope recording; this ipcscope reads version "
          + RecordingFormat.VERSION);
    }
    return (int) v;
  }

  private void readHeader() throws IOException {
    try {
      if (!readBlock() || !blockComplete) {
        throw cutInHeader();
      }
      header = RecordDecoder.header(cursor, version);
      records = 1;
      decoder.startAt(header.startMonotonicNanos());
    } catch (ByteCursor.Underflow | ByteCursor.Malformed | DamagedRecordingException e) {
      if (e instanceof DamagedRecordingException d && d.truncated()) {
        throw cutInHeader();
      }
      throw new NotARecordingException(name + " has a damaged header: not a usable ipcscope recording");
    }
  }

  private NotARecordingException cutInHeader() {
    return new NotARecordingException(name + " ends at byte " + streamOffset
        + ", inside its header: not a complete ipcscope recording");
  }
}
