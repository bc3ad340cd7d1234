package io.ipcscope.probes.event;

import static io.ipcscope.probes.event.EventLayout.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes ring-buffer records ({@code struct ipc_event} or {@code struct ipc_event_path}, told apart by length) into
 * {@link IpcEvent}s. Allocates only the event, plus the path string of a path record: command names come from a
 * small cache keyed by their 16 raw bytes. Records with a mechanism or operation this version does not know (a newer
 * probe object) are skipped and counted, never fatal. Not thread-safe: one decoder per consumer.
 */
public final class EventDecoder {
  private static final int CACHE_SIZE = 512;
  private static final String EMPTY = "";
  /** Between the new and the old name of a LINK record's path: a byte no path holds. */
  public static final char LINK_SEPARATOR = '\0';
  /** sizeof(sockaddr_un.sun_path) */
  private static final int SUN_PATH_LEN = 108;

  private final long[] cacheLo = new long[CACHE_SIZE];
  private final long[] cacheHi = new long[CACHE_SIZE];
  private final String[] cacheStr = new String[CACHE_SIZE];
  private final byte[] scratch = new byte[PATH_LEN];
  private long unknown;
  private long malformed;

  /**
   * Decodes the record at {@code buf[offset, offset + length)} (buf little-endian, absolute reads only); null when the
   * record is skipped ({@link #unknownSkipped()}, {@link #malformedSkipped()}).
   */
  public IpcEvent decode(ByteBuffer buf, int offset, int length) {
    if (length < EVENT_SIZE) {
      malformed++;
      return null;
    }
    Mechanism mechanism = Mechanism.fromWire(buf.getShort(offset + MECHANISM) & 0xFFFF);
    Operation op = Operation.fromWire(buf.get(offset + OP) & 0xFF);
    if (mechanism == null || op == null) {
      unknown++;
      return null;
    }
    String path = EMPTY;
    if (length >= PATH_EVENT_SIZE) {
      if (mechanism == Mechanism.UNIX_SOCKET) {
        path = socketName(buf, offset + PATH, buf.getInt(offset + AUX));
      } else if (op == Operation.LINK) {
        // the new name, then the old one: each in its half of the buffer (shm.bpf.h)
        path = cString(buf, offset + PATH, PATH_LEN / 2) + LINK_SEPARATOR
            + cString(buf, offset + PATH + PATH_LEN / 2, PATH_LEN / 2);
      } else if (op == Operation.EXEC) {
        // the program's file, then its arguments: each in its half of the buffer (process.bpf.c)
        path = cString(buf, offset + PATH, PATH_LEN / 2) + LINK_SEPARATOR
            + arguments(buf, offset + PATH + PATH_LEN / 2, PATH_LEN / 2);
      } else {
        path = cString(buf, offset + PATH, PATH_LEN);
      }
    }
    return new IpcEvent(
        buf.getLong(offset + TS_NS),
        buf.getLong(offset + START_NS),
        buf.getLong(offset + CHANNEL_ID),
        buf.getLong(offset + BYTES),
        buf.getLong(offset + EXTRA),
        buf.getInt(offset + PID),
        buf.getInt(offset + TID),
        buf.getInt(offset + PEER_PID),
        buf.getInt(offset + PEER_TID),
        buf.getInt(offset + CHANNEL_DEV),
        buf.getInt(offset + RESULT),
        buf.getInt(offset + FD),
        buf.getInt(offset + AUX),
        buf.getInt(offset + CODE),
        mechanism,
        op,
        buf.get(offset + STATUS) & 0xFF,
        comm(buf, offset + COMM),
        buf.getInt(offset + SYSCALL_NR),
        path);
  }

  /** Records skipped because their mechanism or operation is unknown to this version. */
  public long unknownSkipped() {
    return unknown;
  }

  /** Records skipped because they are shorter than {@code struct ipc_event}. */
  public long malformedSkipped() {
    return malformed;
  }

  /** The command name at {@code offset} (16 bytes, NUL-padded), from the cache when seen before. */
  String comm(ByteBuffer buf, int offset) {
    long lo = buf.getLong(offset);
    long hi = buf.getLong(offset + 8);
    long h = lo * 0x9E3779B97F4A7C15L + hi;
    int slot = (int) (h ^ (h >>> 29)) & (CACHE_SIZE - 1);
    String s = cacheStr[slot];
    if (s != null && cacheLo[slot] == lo && cacheHi[slot] == hi) {
      return s;
    }
    s = cString(buf, offset, COMM_LEN);
    cacheLo[slot] = lo;
    cacheHi[slot] = hi;
    cacheStr[slot] = s;
    return s;
  }

  /** A command line as /proc/PID/cmdline keeps it (NUL after each argument), with spaces between arguments. */
  private static String arguments(ByteBuffer buf, int at, int max) {
    int end = at + max;
    while (end > at && buf.get(end - 1) == 0) {
      end--;
    }
    byte[] bytes = new byte[end - at];
    for (int i = 0; i < bytes.length; i++) {
      byte b = buf.get(at + i);
      bytes[i] = b == 0 ? (byte) ' ' : b;
    }
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * A Unix socket's name of {@code length} raw bytes (the probes put its length in aux): a path, or an abstract name
   * (leading NUL) shown as ss(8) shows it, "@" first and every NUL inside as "@" too.
   */
  private String socketName(ByteBuffer buf, int offset, int length) {
    if (length <= 0 || buf.get(offset) != 0) {
      return cString(buf, offset, Math.min(Math.max(length, 0), SUN_PATH_LEN));
    }
    int n = Math.min(length, SUN_PATH_LEN);
    byte[] b = scratch;
    boolean any = false;
    for (int i = 0; i < n; i++) {
      byte c = buf.get(offset + i);
      any |= c != 0;
      b[i] = c == 0 ? (byte) '@' : c;
    }
    // all zero: the probe could not read the caller's address (it changed or went away under another thread)
    return any ? new String(b, 0, n, StandardCharsets.UTF_8) : EMPTY;
  }

  private String cString(ByteBuffer buf, int offset, int max) {
    int n = 0;
    while (n < max && buf.get(offset + n) != 0) {
      n++;
    }
    if (n == 0) {
      return EMPTY;
    }
    byte[] b = scratch;
    for (int i = 0; i < n; i++) {
      b[i] = buf.get(offset + i);
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }
}
