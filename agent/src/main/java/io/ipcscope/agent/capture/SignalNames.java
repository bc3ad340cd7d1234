package io.ipcscope.agent.capture;

/** Signal numbers to the names {@code kill -l} prints on Linux (x86_64 and arm64 number them alike). */
final class SignalNames {

  private static final String[] STANDARD = {
    "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
    "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP",
    "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
    "SIGSYS"
  };
  /** glibc keeps 32 and 33 for itself, so user-visible SIGRTMIN is 34. */
  private static final int SIGRTMIN = 34;
  private static final int SIGRTMAX = 64;

  private SignalNames() {}

  /** The same names as the collector's: {@code SIGTERM}, {@code SIGRTMIN+2}. */
  static String name(int signal) {
    if (signal >= 0 && signal < STANDARD.length) {
      return STANDARD[signal];
    }
    if (signal == SIGRTMAX) {
      return "SIGRTMAX";
    }
    if (signal >= SIGRTMIN && signal < SIGRTMAX) {
      return signal == SIGRTMIN ? "SIGRTMIN" : "SIGRTMIN+" + (signal - SIGRTMIN);
    }
    return "SIG" + signal;
  }
}
