package io.ipcscope.demo;

import java.io.IOException;
import java.io.InputStream;

/** Record payloads: a fixed pattern with the record's sequence number in its first bytes. */
final class Records {

  private Records() {}

  static byte[] newRecord(int size) {
    byte[] record = new byte[size];
    for (int i = 0; i < size; i++) {
      record[i] = (byte) ('a' + i % 26);
    }
    return record;
  }

  /** Writes {@code seq} big-endian into as many of the first 8 bytes as the record has. */
  static void stamp(byte[] record, long seq) {
    for (int i = 0; i < Math.min(8, record.length); i++) {
      record[i] = (byte) (seq >>> (56 - 8 * i));
    }
  }

  /** Reads exactly {@code buffer.length} bytes; false at a clean EOF, fails on a partial record. */
  static boolean readRecord(InputStream in, byte[] buffer, String what) throws IOException {
    int got = in.readNBytes(buffer, 0, buffer.length);
    if (got == 0) {
      return false;
    }
    if (got < buffer.length) {
      throw new IOException(what + ": EOF after " + got + " of " + buffer.length + " bytes of a record");
    }
    return true;
  }
}
