package io.ipcscope.demo;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.file.Path;

/**
 * The libc calls the workloads need and Java lacks. JNA stays inside this class: a failing call
 * throws {@link ErrnoException} naming the call, its argument and the errno.
 */
public final class Libc {

  /** Linux x86-64/arm64 signal numbers. */
  public static final int SIGUSR1 = 10;
  public static final int SIGUSR2 = 12;
  public static final int SIGTERM = 15;
  public static final int SIGCHLD = 17;

  private interface C extends Library {
    int mkfifo(String path, int mode) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    /** {@code union sigval} is pointer-sized and passed in an integer register: a C long on Linux. */
    int sigqueue(int pid, int sig, NativeLong value) throws LastErrorException;
  }

  static {
    // Without a platform path JNA's first load runs "/sbin/ldconfig -p" and reads ~40 KB from it over
    // a pipe: an undeclared child process and pipe in every workload. The standard dirs suffice.
    if (System.getProperty("jna.platform.library.path") == null) {
      System.setProperty(
          "jna.platform.library.path",
          "/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib/aarch64-linux-gnu:/usr/lib/aarch64-linux-gnu"
              + ":/lib64:/usr/lib64:/lib:/usr/lib");
    }
  }

  private static final C C = Native.load("c", C.class);

  private Libc() {}

  /** Forces the native library to load now, not first inside a signal handler. */
  public static void load() {
    // Class initialisation did it.
  }

  public static void mkfifo(Path path, int mode) {
    try {
      C.mkfifo(path.toString(), mode);
    } catch (LastErrorException e) {
      throw new ErrnoException("mkfifo " + path, e.getErrorCode());
    }
  }

  public static void kill(long pid, int sig) {
    try {
      C.kill(Math.toIntExact(pid), sig);
    } catch (LastErrorException e) {
      throw new ErrnoException("kill " + pid + " " + signalName(sig), e.getErrorCode());
    }
  }

  public static void sigqueue(long pid, int sig, long value) {
    try {
      C.sigqueue(Math.toIntExact(pid), sig, new NativeLong(value));
    } catch (LastErrorException e) {
      throw new ErrnoException("sigqueue " + pid + " " + signalName(sig), e.getErrorCode());
    }
  }

  public static String signalName(int sig) {
    return switch (sig) {
      case SIGUSR1 -> "SIGUSR1";
      case SIGUSR2 -> "SIGUSR2";
      case SIGTERM -> "SIGTERM";
      case SIGCHLD -> "SIGCHLD";
      default -> "signal " + sig;
    };
  }
}
