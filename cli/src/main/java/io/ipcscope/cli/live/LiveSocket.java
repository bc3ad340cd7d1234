package io.ipcscope.cli.live;

import io.ipcscope.cli.UserError;
import io.ipcscope.collector.live.LiveClient;
import io.ipcscope.collector.live.LiveUnavailableException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** The collector's live socket as the commands that read it (status, graph) reach it, and say why they cannot. */
public final class LiveSocket {

  public static final String DEFAULT = "/run/ipcscope/collector.sock";
  /** A collector answers a snapshot within milliseconds; this much means it is wedged. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

  private LiveSocket() {}

  /** The snapshot line of the collector at {@code socket}, or a one-line {@link UserError} saying what to do. */
  public static String snapshot(Path socket) {
    return snapshot(socket, -1);
  }

  /**
   * The snapshot line with the recent operations numbered after {@code eventsAfter} ({@code -1}: none), or a one-line
   * {@link UserError}.
   */
  public static String snapshot(Path socket, long eventsAfter) {
    try {
      return LiveClient.snapshot(socket, ANSWER_TIMEOUT, eventsAfter);
    } catch (LiveUnavailableException e) {
      throw unavailable(e);
    } catch (IOException e) {
      throw new UserError("collector at " + socket + ": " + e.getMessage(), UserError.EXIT_FAILURE);
    }
  }

  /** The snapshot line when a collector answers at {@code socket}, null when none does (nobody to ask, or not us). */
  public static String snapshotIfAnswering(Path socket) {
    try {
      return LiveClient.snapshot(socket, ANSWER_TIMEOUT);
    } catch (IOException e) {
      return null;
    }
  }

  static UserError unavailable(LiveUnavailableException e) {
    if (e.reason() == LiveUnavailableException.Reason.ACCESS_DENIED) {
      return new UserError("permission denied on " + e.socket() + ": the collector's socket is root's; run with sudo",
          UserError.EXIT_FAILURE);
    }
    return new UserError("no collector at " + e.socket() + ": start one with `sudo ipcscope collect`"
        + (e.socket().equals(Path.of(DEFAULT)) ? "" : " --socket " + e.socket()), UserError.EXIT_FAILURE);
  }
}
