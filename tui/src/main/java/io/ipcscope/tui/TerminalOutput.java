package io.ipcscope.tui;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the dashboard writes to its terminal, held until Lanterna flushes, which it does once per screen refresh: a
 * frame goes out in one write(2). Lanterna's default stream is System.out, which flushes on every write: a write per
 * escape sequence or character run, some 2 700 a second at two frames a second, each one also waking the terminal
 * emulator.
 *
 * <p>One exception: a cursor position query (CSI 6 n, how Lanterna learns the terminal's size, at start and on every
 * resize) goes out at once, because Lanterna sends it without flushing and then waits for the answer.
 *
 * <p>Not thread-safe by itself: Lanterna writes and flushes under its own lock on the stream.
 */
public final class TerminalOutput extends OutputStream {

  private final OutputStream out;
  private byte[] buffer = new byte[16 * 1024];
  private int size;

  public TerminalOutput(OutputStream out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (size + len > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(2 * buffer.length, size + len));
    }
    System.arraycopy(b, off, buffer, size, len);
    size += len;
    if (isCursorPositionQuery(b, off, len)) {
      flush();
    }
  }

  /** Lanterna writes each control sequence whole, in one call: ESC [ 6 n. */
  private static boolean isCursorPositionQuery(byte[] b, int off, int len) {
    return len == 4 && b[off] == 0x1b && b[off + 1] == '[' && b[off + 2] == '6' && b[off + 3] == 'n';
  }

  @Override
  public void flush() throws IOException {
    if (size > 0) {
      out.write(buffer, 0, size);
      size = 0;
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    try (out) {
      flush();
    }
  }
}
