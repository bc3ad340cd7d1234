package io.ipcscope.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A command in a real terminal, as a user sees it: one detached tmux session that the test types into and reads the
 * screen of. Closing it kills the session (and whatever still runs in it).
 */
final class TmuxSession implements AutoCloseable {

  private final String name;
  private final Duration patience;
  private final Duration poll;

  private TmuxSession(String name, Duration patience, Duration poll) {
    this.name = name;
    this.patience = patience;
    this.poll = poll;
  }

  /**
   * Starts {@code command} in a {@code columns} by {@code rows} terminal; {@link #await} waits up to {@code patience}
   * for a screen, reading it every {@code poll} (each read is a tmux client, itself traced by a tracing command).
   */
  static TmuxSession start(String command, int columns, int rows, Duration patience, Duration poll) {
    TmuxSession session = new TmuxSession("ipcscope-test-" + ProcessHandle.current().pid(), patience, poll);
    session.tmux("new-session", "-d", "-s", session.name, "-x", Integer.toString(columns), "-y",
        Integer.toString(rows), command);
    return session;
  }

  /** Keys by tmux's names: "Enter", "Tab", "C-u", "q". */
  void keys(String... keys) {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", name));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  /** Text typed as it is, each character a key. */
  void type(String text) {
    tmux("send-keys", "-t", name, "-l", text);
  }

  String screen() {
    return tmux("capture-pane", "-p", "-t", name);
  }

  /** The first screen {@code done} accepts; fails with the last screen seen when none came in time. */
  String await(Predicate<String> done, String what) throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = screen();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(poll.toMillis());
    }
    throw new AssertionError("the screen never showed " + what + ":\n" + last);
  }

  /** Whether the command ended (and its session with it) within {@code timeout}. */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ended() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    return ended();
  }

  private boolean ended() {
    return !tmux("has-session", "-t", name).isEmpty(); // tmux says nothing when the session is there
  }

  @Override
  public void close() {
    tmux("kill-session", "-t", name);
  }

  private String tmux(String... args) {
    List<String> cmd = new ArrayList<>(List.of("tmux"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("tmux " + String.join(" ", args), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running tmux", e);
    }
  }
}
