package io.ipcscope.cli;

import io.ipcscope.collector.record.NotARecordingException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A problem the user can fix, said in one line that tells them how. Never printed with a stack trace.
 */
public final class UserError extends RuntimeException {

  /** Bad usage, missing privileges or features: the command could not start. */
  public static final int EXIT_USAGE = 2;
  /** The command started but could not finish. */
  public static final int EXIT_FAILURE = 1;

  private final int exitCode;

  public UserError(String message) {
    this(message, EXIT_USAGE);
  }

  public UserError(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /**
   * A recording that cannot be replayed, in one line: not there, not a recording (its own message says what it is),
   * or the reader's error.
   */
  public static UserError unreadableRecording(Path file, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new UserError("cannot read " + file + ": no such file");
    }
    if (e instanceof NotARecordingException) {
      return new UserError(e.getMessage());
    }
    return new UserError("cannot read " + file + ": " + e.getMessage());
  }

  public int exitCode() {
    return exitCode;
  }
}
