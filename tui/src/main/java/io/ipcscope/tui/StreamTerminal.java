package io.ipcscope.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.ansi.ANSITerminal;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An ANSI terminal of a fixed size with no tty behind it: the escape sequences go to a stream, and keys come from
 * {@link #type}, through a pipe whose reads block as a tty's do. The dashboard runs on it exactly as on a real
 * terminal (a virtual terminal is drawn differently and can only be polled for keys): for {@code bench top} and
 * tests.
 */
public final class StreamTerminal extends ANSITerminal {

  private final TerminalSize size;
  private final Pipe pipe;

  private StreamTerminal(TerminalSize size, Pipe pipe, OutputStream out) {
    super(Channels.newInputStream(pipe.source()), out, StandardCharsets.UTF_8);
    this.size = size;
    this.pipe = pipe;
  }

  /** A terminal {@code size} big that writes to {@code out}. */
  public static StreamTerminal open(TerminalSize size, OutputStream out) throws IOException {
    return new StreamTerminal(Objects.requireNonNull(size, "size"), Pipe.open(), Objects.requireNonNull(out, "out"));
  }

  @Override
  protected TerminalSize findTerminalSize() {
    return size; // an ANSI terminal would ask the tty where its cursor ends up; nothing here would answer
  }

  /** Types {@code text} as a keyboard would, escape sequences and all. */
  public void type(String text) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    synchronized (pipe) {
      while (bytes.hasRemaining()) {
        pipe.sink().write(bytes);
      }
    }
  }

  /**
   * Ends the input: whoever reads keys sees end of file, as when a tty goes away. Only the pipe's write end is
   * closed: closing the read end under a blocked reader would give it an error instead.
   */
  @Override
  public void close() throws IOException {
    pipe.sink().close();
  }
}
