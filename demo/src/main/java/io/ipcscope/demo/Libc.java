package io.ipcscope.demo;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * The libc calls the workloads need and Java lacks. JNA stays inside this class: a failing call
 * throws {@link ErrnoException} naming the call, its argument and the errno. Calls that block
 * (message queue sends and receives) are retried on EINTR, so a caller counts only the call that
 * succeeded. LP64 only (x86-64, arm64): size_t, ssize_t and long are Java longs.
 *
 * <p>glibc has the mq_* functions in libc.so.6 since 2.34 (librt merged); older ones need librt.
 */
public final class Libc {

  /** Linux x86-64/arm64 signal numbers. */
  public static final int SIGUSR1 = 10;
  public static final int SIGUSR2 = 12;
  public static final int SIGTERM = 15;
  public static final int SIGCHLD = 17;

  /** {@code <sys/ipc.h>}: msgget flags. */
  public static final int IPC_CREAT = 01000;
  public static final int IPC_EXCL = 02000;
  private static final int IPC_RMID = 0;

  /** {@code <fcntl.h>} on x86-64/arm64: mq_open flags. */
  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_RDWR = 2;
  public static final int O_CLOEXEC = 02000000;

  /** {@code <sys/file.h>}: flock operations. */
  public static final int LOCK_EX = 2;
  public static final int LOCK_UN = 8;

  /** {@code <fcntl.h>} on x86-64/arm64: record locks (struct flock, 32 bytes). */
  private static final int F_SETLKW = 7;
  private static final int F_WRLCK = 1;
  private static final int F_UNLCK = 2;
  private static final short SEEK_SET = 0;
  private static final int FLOCK_STRUCT_SIZE = 32;

  /** {@code <sys/mount.h>}: mount flags and umount2's lazy detach. */
  public static final int MS_NOSUID = 2;
  public static final int MS_NODEV = 4;
  public static final int MS_NOEXEC = 8;
  public static final int MNT_DETACH = 2;

  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int EINTR = 4;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int EINVAL = 22;
  public static final int EMFILE = 24;
  public static final int EIDRM = 43;

  private interface C extends Library {
    int mkfifo(String path, int mode) throws LastErrorException;

    int open(String path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int flock(int fd, int operation) throws LastErrorException;

    /**
     * Variadic in C; declared with its one pointer argument, which x86-64 and arm64 (Linux) pass
     * like a fixed one. {@code lock} is {@code struct flock}: short l_type, short l_whence, 4
     * bytes of padding, long l_start, long l_len, int l_pid, 4 bytes of padding.
     */
    int fcntl(int fd, int cmd, byte[] lock) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    /** {@code union sigval} is pointer-sized and passed in an integer register: a C long on Linux. */
    int sigqueue(int pid, int sig, NativeLong value) throws LastErrorException;

    int msgget(int key, int msgflg) throws LastErrorException;

    /** {@code msgp} is {@code struct msgbuf}: a long mtype, then {@code msgsz} bytes of text. */
    int msgsnd(int msqid, byte[] msgp, long msgsz, int msgflg) throws LastErrorException;

    long msgrcv(int msqid, byte[] msgp, long msgsz, long msgtyp, int msgflg) throws LastErrorException;

    int msgctl(int msqid, int cmd, Pointer buf) throws LastErrorException;

    /** Variadic: with O_CREAT a mode_t and a {@code struct mq_attr *} follow. */
    int mq_open(String name, int oflag, Object... modeAndAttr) throws LastErrorException;

    int mq_send(int mqdes, byte[] msg, long len, int prio) throws LastErrorException;

    long mq_receive(int mqdes, byte[] msg, long len, int[] prio) throws LastErrorException;

    /** {@code attr} is {@code struct mq_attr}: mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs, 4 reserved. */
    int mq_getattr(int mqdes, long[] attr) throws LastErrorException;

    int mq_close(int mqdes) throws LastErrorException;

    int mq_unlink(String name) throws LastErrorException;

    int mount(String source, String target, String fstype, NativeLong flags, Pointer data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;
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

  /** Opens {@code path} with {@code flags} (creating it with {@code mode} under O_CREAT); returns the fd. */
  public static int open(Path path, int flags, int mode) {
    return (int) NativeCall.once(() -> C.open(path.toString(), flags, mode), () -> "open " + path);
  }

  /** {@code path} only labels errors. */
  public static void close(Path path, int fd) {
    NativeCall.once(() -> C.close(fd), () -> "close " + path + " (fd " + fd + ")");
  }

  /** flock(2) {@code operation} (LOCK_EX waits for the lock), retried on EINTR. {@code path} only labels errors. */
  public static void flock(Path path, int fd, int operation) {
    NativeCall.restarting(() -> C.flock(fd, operation),
        () -> "flock " + path + (operation == LOCK_UN ? " LOCK_UN" : " LOCK_EX"));
  }

  /**
   * Write-locks bytes {@code start..start+length-1} of the file (fcntl F_SETLKW F_WRLCK: a POSIX
   * record lock of this process), waiting for it; retried on EINTR. Or unlocks them ({@code
   * lock} false, F_UNLCK).
   */
  public static void fcntlLock(Path path, int fd, boolean lock, long start, long length) {
    byte[] flock = ByteBuffer.allocate(FLOCK_STRUCT_SIZE)
        .order(ByteOrder.nativeOrder())
        .putShort((short) (lock ? F_WRLCK : F_UNLCK))
        .putShort(SEEK_SET)
        .putInt(0) // padding
        .putLong(start)
        .putLong(length)
        .array(); // l_pid and padding: 0
    NativeCall.restarting(() -> C.fcntl(fd, F_SETLKW, flock),
        () -> "fcntl " + path + " F_SETLKW " + (lock ? "F_WRLCK" : "F_UNLCK") + " bytes " + start + ".."
            + (start + length - 1));
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

  /** Creates or finds the System V message queue of {@code key}; returns its id. */
  public static int msgget(int key, int flags) {
    return (int) NativeCall.once(() -> C.msgget(key, flags), () -> String.format("msgget key 0x%08x", key));
  }

  /** Sends one message of type {@code mtype} whose text is {@code mtext}, waiting for room. */
  public static void msgsnd(int msqid, long mtype, byte[] mtext) {
    byte[] msg = ByteBuffer.allocate(Long.BYTES + mtext.length)
        .order(ByteOrder.nativeOrder())
        .putLong(mtype)
        .put(mtext)
        .array();
    NativeCall.restarting(() -> C.msgsnd(msqid, msg, mtext.length, 0),
        () -> "msgsnd queue " + msqid + " mtype " + mtype + " (" + mtext.length + " bytes)");
  }

  /**
   * Receives the oldest message of type {@code mtype} (msgtyp > 0: that type only), waiting for
   * one; its text goes to {@code mtext}, which must be large enough (E2BIG otherwise: nothing is
   * cut). Returns the text's length.
   */
  public static int msgrcv(int msqid, long mtype, byte[] mtext) {
    byte[] msg = new byte[Long.BYTES + mtext.length];
    int length = (int) NativeCall.restarting(() -> C.msgrcv(msqid, msg, mtext.length, mtype, 0),
        () -> "msgrcv queue " + msqid + " mtype " + mtype);
    System.arraycopy(msg, Long.BYTES, mtext, 0, length);
    return length;
  }

  /** Removes the queue at once: waiting senders and receivers fail with EIDRM. */
  public static void msgctlRemove(int msqid) {
    NativeCall.once(() -> C.msgctl(msqid, IPC_RMID, Pointer.NULL), () -> "msgctl queue " + msqid + " IPC_RMID");
  }

  /** Creates (flags include O_CREAT) a POSIX message queue with room for maxmsg messages of msgsize bytes. */
  public static int mqCreate(String name, int flags, int mode, long maxmsg, long msgsize) {
    long[] attr = {0, maxmsg, msgsize, 0, 0, 0, 0, 0};
    return (int) NativeCall.once(() -> C.mq_open(name, flags | O_CREAT, mode, attr),
        () -> "mq_open " + name + " (" + maxmsg + " messages of " + msgsize + " bytes)");
  }

  /** Opens an existing POSIX message queue; returns its descriptor. */
  public static int mqOpen(String name, int flags) {
    return (int) NativeCall.once(() -> C.mq_open(name, flags), () -> "mq_open " + name);
  }

  /** Sends {@code msg} with {@code priority}, waiting for room. {@code name} only labels errors. */
  public static void mqSend(String name, int mqd, byte[] msg, int priority) {
    NativeCall.restarting(() -> C.mq_send(mqd, msg, msg.length, priority),
        () -> "mq_send " + name + " (" + msg.length + " bytes, priority " + priority + ")");
  }

  /**
   * Receives the oldest message of the highest priority into {@code buffer} (at least mq_msgsize
   * bytes, EMSGSIZE otherwise), waiting for one; returns its length and stores its priority in
   * {@code priority[0]}.
   */
  public static int mqReceive(String name, int mqd, byte[] buffer, int[] priority) {
    return (int) NativeCall.restarting(() -> C.mq_receive(mqd, buffer, buffer.length, priority), () -> "mq_receive " + name);
  }

  /** The number of messages waiting in the queue (mq_curmsgs). */
  public static long mqWaiting(String name, int mqd) {
    long[] attr = new long[8];
    NativeCall.once(() -> C.mq_getattr(mqd, attr), () -> "mq_getattr " + name);
    return attr[3];
  }

  public static void mqClose(String name, int mqd) {
    NativeCall.once(() -> C.mq_close(mqd), () -> "mq_close " + name);
  }

  public static void mqUnlink(String name) {
    NativeCall.once(() -> C.mq_unlink(name), () -> "mq_unlink " + name);
  }

  /** Mounts a pseudo filesystem ({@code mount -t fstype source target}) with {@code flags} and no data. */
  public static void mount(String source, Path target, String fstype, int flags) {
    NativeCall.once(() -> C.mount(source, target.toString(), fstype, new NativeLong(flags), Pointer.NULL),
        () -> "mount " + fstype + " on " + target);
  }

  public static void umount2(Path target, int flags) {
    NativeCall.once(() -> C.umount2(target.toString(), flags), () -> "umount " + target);
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
