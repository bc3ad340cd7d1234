package io.ipcscope.probes.event;

/**
 * The two parts of an EXEC record's path: the file the process executes, and its command line (arguments joined by
 * spaces, cut at about 127 bytes) after {@link EventDecoder#LINK_SEPARATOR}.
 */
public final class ExecPath {

  private ExecPath() {}

  /** The executed file, as passed to execve. */
  public static String file(IpcEvent exec) {
    String path = exec.path();
    int sep = path.indexOf(EventDecoder.LINK_SEPARATOR);
    return sep < 0 ? path : path.substring(0, sep);
  }

  /** The command line at exec, or "" when the record has none. */
  public static String commandLine(IpcEvent exec) {
    String path = exec.path();
    int sep = path.indexOf(EventDecoder.LINK_SEPARATOR);
    return sep < 0 ? "" : path.substring(sep + 1);
  }
}
