package io.ipcscope.collector.model;

/** Signal numbers to the names {@code kill -l} prints on x86_64 Linux. */
public final class SignalNames {

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

  public static String name(int signal) {
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

  /** The inverse of {@link #name}; also accepts names without the SIG prefix. -1 when unknown. */
  public static int number(String name) {
    String wanted = name.startsWith("SIG") ? name : "SIG" + name;
    for (int sig = 0; sig <= SIGRTMAX; sig++) {
      if (name(sig).equals(wanted)) {
        return sig;
      }
    }
    return -1;
  }
}
