package io.ipcscope.collector.record;

/**
 * The constants of the recording format (docs/RECORDING.md): the magic, the version, record tags and the field bits
 * of an event record.
 */
final class RecordingFormat {

  private RecordingFormat() {}

  /** Like PNG's: a high byte first (a text tool's mangling shows), a newline last (so does CRLF translation). */
  static final byte[] MAGIC = {(byte) 0x89, 'I', 'P', 'C', 'R', 'E', 'C', '\n'};
  static final int VERSION = 1;

  /** A block's payload is at most this long, except one holding a single larger record. */
  static final int BLOCK_BYTES = 1 << 16;
  /** Larger is corruption: no record comes near it (a snapshot of 100k processes is a few MiB). */
  static final int MAX_BLOCK_BYTES = 1 << 28;
  static final int MAX_STRING_BYTES = 1 << 20;
  /** The string table stops growing here; later new strings are written inline every time. */
  static final int MAX_STRINGS = 1 << 16;

  static final int HEADER = 1;
  static final int SNAPSHOT = 2;
  static final int EVENT = 3;
  static final int TICK = 4;
  static final int LOST = 5;
  static final int DRAIN = 6;
  static final int NOTE = 7;
  static final int HOLDS = 8;
  static final int OPEN_CHANNELS = 9;
  static final int MOUNT_POINT = 10;
  static final int END = 11;
  /** Since version 1 too: a reader that predates it stops at the first one, saying it does not know the type. */
  static final int DETAILS = 12;

  /**
   * An event record's field bits: a set bit means the field follows, a clear one that it equals the previous event's
   * (the timestamp: that it equals the previous record's time). Ordered from the most often changing, so the usual
   * masks fit one or two varint bytes.
   */
  static final int F_TS = 1;
  static final int F_BYTES = 1 << 1;
  static final int F_RESULT = 1 << 2;
  static final int F_OP = 1 << 3;
  static final int F_MECHANISM = 1 << 4;
  static final int F_PID = 1 << 5;
  static final int F_TID = 1 << 6;
  static final int F_CHANNEL_ID = 1 << 7;
  static final int F_FD = 1 << 8;
  static final int F_EXTRA = 1 << 9;
  static final int F_PEER_PID = 1 << 10;
  static final int F_PEER_TID = 1 << 11;
  static final int F_START = 1 << 12;
  static final int F_COMM = 1 << 13;
  static final int F_CHANNEL_DEV = 1 << 14;
  static final int F_AUX = 1 << 15;
  static final int F_CODE = 1 << 16;
  static final int F_STATUS = 1 << 17;
  static final int F_SYSCALL = 1 << 18;
  static final int F_PATH = 1 << 19;
  static final int F_ALL = (1 << 20) - 1;

  /** A string reference: 0 a new string, added to the table; 1 a new string, not added; n the table's (n - 2)th. */
  static final int STRING_NEW = 0;
  static final int STRING_INLINE = 1;
  static final int STRING_TABLE_BASE = 2;
}
