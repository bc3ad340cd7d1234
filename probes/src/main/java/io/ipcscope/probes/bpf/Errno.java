package io.ipcscope.probes.bpf;

import java.util.HashMap;
import java.util.Map;

/** Linux errno numbers (x86_64 / asm-generic) and libbpf's own error codes, by name. */
public final class Errno {
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EINVAL = 22;
  public static final int ENOTSUP = 95;

  private static final Map<Integer, String> NAMES = new HashMap<>();

  static {
    String[] low = {
      null, "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
      "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR",
      "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
      "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP"
    };
    for (int i = 1; i < low.length; i++) {
      NAMES.put(i, low[i]);
    }
    NAMES.put(42, "ENOMSG");
    NAMES.put(61, "ENODATA");
    NAMES.put(62, "ETIME");
    NAMES.put(74, "EBADMSG");
    NAMES.put(75, "EOVERFLOW");
    NAMES.put(84, "EILSEQ");
    NAMES.put(88, "ENOTSOCK");
    NAMES.put(95, "EOPNOTSUPP");
    NAMES.put(97, "EAFNOSUPPORT");
    NAMES.put(98, "EADDRINUSE");
    NAMES.put(104, "ECONNRESET");
    NAMES.put(107, "ENOTCONN");
    NAMES.put(110, "ETIMEDOUT");
    NAMES.put(111, "ECONNREFUSED");
    NAMES.put(114, "EALREADY");
    NAMES.put(115, "EINPROGRESS");
    NAMES.put(125, "ECANCELED");
    NAMES.put(512, "ERESTARTSYS");
    NAMES.put(524, "ENOTSUPP");
    String[] libbpf = {
      "LIBELF", "FORMAT", "KVERSION", "ENDIAN", "INTERNAL", "RELOC", "LOAD", "VERIFY", "PROG2BIG", "KVER",
      "PROGTYPE", "WRNGPID", "INVSEQ", "NLPARSE"
    };
    for (int i = 0; i < libbpf.length; i++) {
      NAMES.put(4000 + i, "LIBBPF_ERRNO__" + libbpf[i]);
    }
  }

  private Errno() {}

  /** The symbolic name of {@code errno} (sign ignored), or {@code "errno N"} when unknown. */
  public static String name(int errno) {
    int e = Math.abs(errno);
    String n = NAMES.get(e);
    return n != null ? n : "errno " + e;
  }
}
