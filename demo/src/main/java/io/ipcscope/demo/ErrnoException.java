package io.ipcscope.demo;

import java.util.Map;

/** A libc call failed: "kill 1234 SIGUSR1: ESRCH (No such process)". Errno values are Linux's. */
public final class ErrnoException extends RuntimeException {

  private static final Map<Integer, String[]> NAMES =
      Map.ofEntries(
          Map.entry(1, new String[] {"EPERM", "Operation not permitted"}),
          Map.entry(2, new String[] {"ENOENT", "No such file or directory"}),
          Map.entry(3, new String[] {"ESRCH", "No such process"}),
          Map.entry(4, new String[] {"EINTR", "Interrupted system call"}),
          Map.entry(7, new String[] {"E2BIG", "Argument list too long"}),
          Map.entry(9, new String[] {"EBADF", "Bad file descriptor"}),
          Map.entry(11, new String[] {"EAGAIN", "Resource temporarily unavailable"}),
          Map.entry(12, new String[] {"ENOMEM", "Cannot allocate memory"}),
          Map.entry(13, new String[] {"EACCES", "Permission denied"}),
          Map.entry(14, new String[] {"EFAULT", "Bad address"}),
          Map.entry(16, new String[] {"EBUSY", "Device or resource busy"}),
          Map.entry(17, new String[] {"EEXIST", "File exists"}),
          Map.entry(19, new String[] {"ENODEV", "No such device"}),
          Map.entry(20, new String[] {"ENOTDIR", "Not a directory"}),
          Map.entry(22, new String[] {"EINVAL", "Invalid argument"}),
          Map.entry(23, new String[] {"ENFILE", "Too many open files in system"}),
          Map.entry(24, new String[] {"EMFILE", "Too many open files"}),
          Map.entry(28, new String[] {"ENOSPC", "No space left on device"}),
          Map.entry(30, new String[] {"EROFS", "Read-only file system"}),
          Map.entry(35, new String[] {"EDEADLK", "Resource deadlock avoided"}),
          Map.entry(36, new String[] {"ENAMETOOLONG", "File name too long"}),
          Map.entry(37, new String[] {"ENOLCK", "No locks available"}),
          Map.entry(38, new String[] {"ENOSYS", "Function not implemented"}),
          Map.entry(42, new String[] {"ENOMSG", "No message of desired type"}),
          Map.entry(43, new String[] {"EIDRM", "Identifier removed"}),
          Map.entry(90, new String[] {"EMSGSIZE", "Message too long"}),
          Map.entry(110, new String[] {"ETIMEDOUT", "Connection timed out"}));

  private final int errno;

  public ErrnoException(String call, int errno) {
    super(call + ": " + describe(errno));
    this.errno = errno;
  }

  /** With what the user can do about it: "mq_open /q: EEXIST (File exists); left by a killed demo?". */
  public ErrnoException(String call, int errno, String hint) {
    super(call + ": " + describe(errno) + "; " + hint);
    this.errno = errno;
  }

  public int errno() {
    return errno;
  }

  public String errnoName() {
    String[] name = NAMES.get(errno);
    return name == null ? "errno " + errno : name[0];
  }

  private static String describe(int errno) {
    String[] name = NAMES.get(errno);
    return name == null ? "errno " + errno : name[0] + " (" + name[1] + ")";
  }
}
