package io.ipcscope.cli;

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

  public int exitCode() {
    return exitCode;
  }
}
