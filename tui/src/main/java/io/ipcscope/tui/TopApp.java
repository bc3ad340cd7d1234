package io.ipcscope.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.util.Objects;

/** The loop of {@code ipcscope top}: poll the source, update the model, apply keys, redraw, until the user quits. */
public final class TopApp {

  public static final long DEFAULT_REFRESH_MILLIS = 500;
  /** How often keys are read between refreshes, so a key answers within this even at a slow refresh. */
  private static final long KEY_POLL_MILLIS = 50;

  private TopApp() {}

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
    TopModel model = new TopModel();
    Screen screen = new TerminalScreen(terminal);
    screen.startScreen();
    try {
      screen.setCursorPosition(null); // no blinking cursor over the table
      long nextFrame = 0;
      boolean dirty = true;
      boolean resized = false;
      while (true) {
        long now = System.nanoTime();
        if (now - nextFrame >= 0) {
          source.poll().ifPresent(model::update);
          nextFrame = now + refreshMillis * 1_000_000L;
          dirty = true;
        }
        KeyStroke key;
        while ((key = screen.pollInput()) != null) {
          if (TopKeys.apply(model, key, TopRenderer.page(model, screen.getTerminalSize()), source.playback())) {
            return 0;
          }
          dirty = true;
        }
        if (screen.doResizeIfNecessary() != null) {
          dirty = true;
          resized = true;
        }
        dirty |= takePlayback(source, model);
        if (dirty) {
          TopRenderer.render(screen, model, source.describe());
          // Delta redraws avoid flicker, but after a resize the terminal has reflowed what was there, so the
          // screen's idea of the terminal's content is wrong: redraw everything once.
          screen.refresh(resized ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
          dirty = false;
          resized = false;
        }
        sleep(KEY_POLL_MILLIS);
      }
    } finally {
      screen.stopScreen();
    }
  }

  /** A replay's place, pause and seek progress, which change between frames too; true when they changed. */
  private static boolean takePlayback(TopSource source, TopModel model) {
    return source.playback().map(p -> model.setPlayback(p.status())).orElse(false);
  }

  private static void sleep(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("ipcscope top interrupted", e);
    }
  }
}
