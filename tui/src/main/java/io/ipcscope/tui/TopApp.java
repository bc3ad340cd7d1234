package io.ipcscope.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.DefaultTerminalFactory;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.TerminalResizeListener;
import com.googlecode.lanterna.terminal.ansi.StreamBasedTerminal;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The loop of {@code ipcscope top}: take the source's newest frame once per refresh, apply keys as they come, redraw
 * when something changed, until the user quits. Between those it sleeps: on a real terminal it is woken only by a
 * key, a resize or the next refresh.
 */
public final class TopApp {

  public static final long DEFAULT_REFRESH_MILLIS = 500;
  /**
   * How often keys are polled on a terminal whose input cannot be waited for (see {@link Input#of}), so a key
   * answers within this even at a slow refresh.
   */
  static final long KEY_POLL_MILLIS = 50;

  private TopApp() {}

  /**
   * The terminal {@code ipcscope top} draws on: Lanterna's text terminal on stdin and stdout, as its factory makes it
   * by default, except that what is drawn goes out once per refresh (see {@link TerminalOutput}).
   */
  public static Terminal openTerminal() throws IOException {
    OutputStream stdout = new TerminalOutput(new FileOutputStream(FileDescriptor.out));
    return new DefaultTerminalFactory(stdout, System.in, Charset.defaultCharset()).setForceTextTerminal(true)
        .createTerminal();
  }

  /**
   * Runs the dashboard on {@code terminal} until q, Q or Esc; the screen is stopped (terminal restored) however the
   * loop ends.
   *
   * @return the exit status: 0 when the user quit
   */
  public static int run(Terminal terminal, TopSource source, long refreshMillis) throws IOException {
    Objects.requireNonNull(terminal, "terminal");
    Objects.requireNonNull(source, "source");
    if (refreshMillis <= 0) {
      throw new IllegalArgumentException("refreshMillis must be positive, was " + refreshMillis);
    }
    long refreshNanos = TimeUnit.MILLISECONDS.toNanos(refreshMillis);
    TopModel model = new TopModel();
    Screen screen = new TerminalScreen(terminal);
    screen.startScreen();
    try (Input input = Input.of(terminal, screen)) {
      screen.setCursorPosition(null); // no blinking cursor over the table
      long nextFrame = System.nanoTime();
      boolean dirty = true;
      while (true) {
        long now = System.nanoTime();
        if (now - nextFrame >= 0) {
          dirty |= takeFrame(source, model);
          // From now, not from the missed deadline: after a stall (a suspended terminal) frames do not bunch up.
          nextFrame = now + refreshNanos;
        }
        dirty |= takePlayback(source, model);
        boolean resized = screen.doResizeIfNecessary() != null;
        if (dirty || resized) {
          TopRenderer.render(screen, model, source.describe());
          // Delta redraws avoid flicker, but after a resize the terminal has reflowed what was there, so the
          // screen's idea of the terminal's content is wrong: redraw everything once.
          screen.refresh(resized ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
          dirty = false;
        }
        // Keys typed together (a paste, a held arrow) are applied together and drawn once.
        for (KeyStroke key = input.next(nextFrame - System.nanoTime()); key != null; key = input.next(0)) {
          if (TopKeys.apply(model, key, TopRenderer.page(model, screen.getTerminalSize()), source.playback())) {
            return 0;
          }
          dirty = true;
        }
      }
    } finally {
      screen.stopScreen();
    }
  }

  /** A replay's place, pause and seek progress, which change between frames too; true when they changed. */
  private static boolean takePlayback(TopSource source, TopModel model) {
    return source.playback().map(p -> model.setPlayback(p.status())).orElse(false);
  }

  /** Gives the model the source's newest frame, if there is one; true when the model took it (not paused). */
  private static boolean takeFrame(TopSource source, TopModel model) {
    Optional<TopFrame> next = source.poll();
    if (next.isEmpty()) {
      return false;
    }
    TopFrame before = model.frame().orElse(null);
    model.update(next.get());
    return model.frame().orElse(null) != before;
  }

  /** The terminal's keys, waited for with a timeout. */
  private interface Input extends AutoCloseable {

    /**
     * Terminals that read a stream (a tty, telnet) are read by a thread of their own that blocks until a key comes,
     * so waiting costs nothing. Others are polled: a virtual terminal's {@code readInput} holds the terminal's lock
     * while it waits, which would stop every draw.
     */
    static Input of(Terminal terminal, Screen screen) {
      return terminal instanceof StreamBasedTerminal ? new ReadingInput(terminal, screen) : new PollingInput(terminal, screen);
    }

    /**
     * The next key, waiting for it up to {@code timeoutNanos} (not at all when 0 or less); null when none came in
     * that time, or when the terminal was resized meanwhile.
     */
    KeyStroke next(long timeoutNanos) throws IOException;

    @Override
    void close();
  }

  /** Polls the screen every {@link #KEY_POLL_MILLIS} while it waits, and stops waiting on a resize. */
  private static final class PollingInput implements Input {
    private final Terminal terminal;
    private final Screen screen;
    private volatile boolean resized;
    private final TerminalResizeListener onResize = (t, size) -> resized = true;

    PollingInput(Terminal terminal, Screen screen) {
      this.terminal = terminal;
      this.screen = screen;
      terminal.addResizeListener(onResize);
    }

    @Override
    public KeyStroke next(long timeoutNanos) throws IOException {
      KeyStroke key = screen.pollInput();
      long deadline = System.nanoTime() + timeoutNanos;
      for (long left = timeoutNanos; key == null && !resized && left > 0; left = deadline - System.nanoTime()) {
        sleepNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(KEY_POLL_MILLIS)));
        key = screen.pollInput();
      }
      resized = false;
      return key;
    }

    @Override
    public void close() {
      terminal.removeResizeListener(onResize);
    }
  }

  /**
   * A daemon thread blocks in the terminal's {@code readInput} and queues each key; a resize queues a wake-up so the
   * loop redraws at once. On close the thread is left blocked in its read: a read of a tty cannot be interrupted, and
   * the process is about to end (its next key, or end of input, ends the thread).
   */
  private static final class ReadingInput implements Input {
    /** Queued on a resize: not a key, only a reason to look at the screen's size now. */
    private static final Object RESIZED = new Object();

    private final Terminal terminal;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final TerminalResizeListener onResize = (t, size) -> queue.offer(RESIZED);
    private final Thread reader;
    private volatile boolean closed;

    ReadingInput(Terminal terminal, Screen screen) {
      this.terminal = terminal;
      terminal.addResizeListener(onResize);
      reader = new Thread(() -> read(screen), "ipcscope-top-keys");
      reader.setDaemon(true);
      reader.start();
    }

    private void read(Screen screen) {
      try {
        KeyStroke key;
        do {
          key = screen.readInput();
          queue.offer(key);
        } while (!closed && key.getKeyType() != KeyType.EOF); // after EOF every read returns EOF at once
      } catch (IOException | RuntimeException e) {
        queue.offer(e);
      }
    }

    @Override
    public KeyStroke next(long timeoutNanos) throws IOException {
      Object item;
      try {
        item = timeoutNanos > 0 ? queue.poll(timeoutNanos, TimeUnit.NANOSECONDS) : queue.poll();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("ipcscope top interrupted", e);
      }
      if (item instanceof IOException e) {
        throw new IOException("reading keys: " + e.getMessage(), e);
      }
      if (item instanceof RuntimeException e) {
        throw new IllegalStateException("reading keys: " + e.getMessage(), e);
      }
      return item instanceof KeyStroke key ? key : null;
    }

    @Override
    public void close() {
      closed = true;
      terminal.removeResizeListener(onResize);
    }
  }

  private static void sleepNanos(long nanos) throws IOException {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("ipcscope top interrupted", e);
    }
  }
}
