package io.ipcscope.collector.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte buffer with the format's varint writes (LEB128; zigzag for signed values). */
final class ByteSink {

  private byte[] buf;
  private int size;

  ByteSink(int capacity) {
    buf = new byte[capacity];
  }

  void clear() {
    size = 0;
  }

  int size() {
    return size;
  }

  byte[] array() {
    return buf;
  }

  void writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  void writeVarLong(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  void writeVarInt(int v) {
    writeVarLong(v & 0xFFFF_FFFFL);
  }

  void writeSignedLong(long v) {
    writeVarLong((v << 1) ^ (v >> 63));
  }

  void writeSignedInt(int v) {
    writeVarInt((v << 1) ^ (v >> 31));
  }

  void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  void writeUtf8(String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    writeVarInt(bytes.length);
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, size, bytes.length);
    size += bytes.length;
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }
}
