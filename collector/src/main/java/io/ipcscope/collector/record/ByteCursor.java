package io.ipcscope.collector.record;

import java.nio.charset.StandardCharsets;

/**
 * Reads the format's varints from a block in memory. Running past the end throws {@link Underflow}, a value no
 * writer makes throws {@link Malformed}: the reader turns both into an error that names the record's offset.
 */
final class ByteCursor {

  /** The record goes on past the bytes there are. */
  static final class Underflow extends RuntimeException {
    Underflow() {
      super(null, null, false, false);
    }
  }

  /** Bytes no writer of this format writes. */
  static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  private static final Underflow UNDERFLOW = new Underflow();

  private byte[] buf = new byte[0];
  private int pos;
  private int limit;

  void reset(byte[] bytes, int length) {
    buf = bytes;
    pos = 0;
    limit = length;
  }

  int position() {
    return pos;
  }

  boolean hasRemaining() {
    return pos < limit;
  }

  int readByte() {
    if (pos >= limit) {
      throw UNDERFLOW;
    }
    return buf[pos++] & 0xFF;
  }

  long readVarLong() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw UNDERFLOW;
      }
      byte b = buf[pos++];
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new Malformed("a varint longer than 10 bytes");
  }

  int readVarInt() {
    long v = readVarLong();
    if ((v >>> 32) != 0) {
      throw new Malformed("a varint of " + Long.toUnsignedString(v) + " where a 32-bit value belongs");
    }
    return (int) v;
  }

  long readSignedLong() {
    long v = readVarLong();
    return (v >>> 1) ^ -(v & 1);
  }

  int readSignedInt() {
    int v = readVarInt();
    return (v >>> 1) ^ -(v & 1);
  }

  boolean readBoolean() {
    int b = readByte();
    if (b > 1) {
      throw new Malformed("a boolean of " + b);
    }
    return b == 1;
  }

  String readUtf8() {
    int length = readVarInt();
    if (length < 0 || length > RecordingFormat.MAX_STRING_BYTES) {
      throw new Malformed("a string of " + Integer.toUnsignedString(length) + " bytes");
    }
    if (limit - pos < length) {
      throw UNDERFLOW;
    }
    String s = new String(buf, pos, length, StandardCharsets.UTF_8);
    pos += length;
    return s;
  }
}
