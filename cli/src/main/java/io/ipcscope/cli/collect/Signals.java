package io.ipcscope.cli.collect;

/** SIGHUP for daemons: reopen output files (after logrotate moved them). */
final class Signals {

  private Signals() {}

  /** Runs {@code action} on the JVM's signal thread at each SIGHUP; keep it short (set a flag). */
  @SuppressWarnings("restriction")
  static void onHangup(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // a JVM that does not let us handle SIGHUP: it then ends the process, as it would without us
    }
  }
}
