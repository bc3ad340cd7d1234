package io.ipcscope.probes.bpf;

/**
 * A failed libbpf or bpf(2) call: the positive errno, its name, and what was being done. The message reads like
 * {@code "loading pipe.bpf.o: attach tp_btf/sys_exit: ENOENT (No such file or directory)"}, followed by the last
 * libbpf log lines that explain it (the verifier's reason on a load failure) when there are any.
 */
public final class BpfException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int errno;
  private final String context;
  private final String libbpfLog;

  public BpfException(String context, int errno) {
    this(context, errno, "");
  }

  public BpfException(String context, int errno, String libbpfLog) {
    super(format(context, Math.abs(errno), libbpfLog));
    this.errno = Math.abs(errno);
    this.context = context;
    this.libbpfLog = libbpfLog == null ? "" : libbpfLog;
  }

  private static String format(String context, int errno, String log) {
    String base = context + ": " + Errno.name(errno) + " (" + Libbpf.strerror(errno) + ")";
    return log == null || log.isBlank() ? base : base + "\n" + log.strip();
  }

  /** The positive errno, e.g. 2 for ENOENT. */
  public int errno() {
    return errno;
  }

  /** The errno's symbolic name, e.g. {@code "ENOENT"}. */
  public String errnoName() {
    return Errno.name(errno);
  }

  /** What was being done, without the errno. */
  public String context() {
    return context;
  }

  /** The libbpf log lines captured around the failure (may be empty). */
  public String libbpfLog() {
    return libbpfLog;
  }

  /** One line: context, errno name, and the most telling log line if any. */
  public String shortReason() {
    String hint = Libbpf.mostTellingLine(libbpfLog);
    return Errno.name(errno) + (hint.isEmpty() ? "" : " (" + hint + ")");
  }
}
