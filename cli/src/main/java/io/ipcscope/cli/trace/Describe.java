package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.model.SignalNames;
import io.ipcscope.probes.bpf.Errno;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;

/** How event fields read for people: signal outcomes, results, exit statuses. Shared by both formatters. */
final class Describe {

  private static final String[] SIGNAL_STATUS = {
    "delivered", "ignored", "already_pending", "overflow_fail", "lose_info", "blocked"
  };
  private static final String[] DISPOSITION = {"default", "ignore", "handler"};

  private Describe() {}

  static boolean isSignal(IpcEvent e) {
    return e.mechanism() == Mechanism.SIGNAL;
  }

  /** What became of a sent or generated signal, or how the target handles a delivered one; null if not a signal. */
  static String signalOutcome(IpcEvent e) {
    if (!isSignal(e)) {
      return null;
    }
    if (e.op() == Operation.DELIVER) {
      return e.status() < DISPOSITION.length ? DISPOSITION[e.status()] : "unknown";
    }
    if (e.status() < SIGNAL_STATUS.length) {
      return SIGNAL_STATUS[e.status()];
    }
    return e.result() < 0 ? "failed" : "none";
  }

  /** A result as a number, or -ENAME for an error. */
  static String result(int result) {
    return result < 0 ? "-" + Errno.name(-result) : Integer.toString(result);
  }

  /** The raw wait status of an exit as the shell would tell it. */
  static String exitStatus(int status) {
    int signal = status & 0x7f;
    if (signal == 0) {
      return "exit " + ((status >> 8) & 0xff);
    }
    return "killed " + SignalNames.name(signal) + ((status & 0x80) != 0 ? " (core)" : "");
  }

  /** True for events a syscall made (and so have a syscall number, 0 being read); false for the kernel's own. */
  static boolean fromSyscall(IpcEvent e) {
    return switch (e.mechanism()) {
      case PIPE, FIFO, POSIX_MQ, SYSV_MQ, UNIX_SOCKET, TCP, UDP, POSIX_SHM, SYSV_SHM -> true;
      case SEM -> !isLibcCall(e);
      case SIGNAL -> e.op() == Operation.SEND;
      default -> false;
    };
  }

  /** What a descriptor passed over a Unix socket opens, as a mechanism id (a socket or a plain file: by type). */
  static String passedKind(IpcEvent e) {
    return switch (ChannelKey.passedBy(e).mechanism()) {
      case PIPE -> "pipe";
      case FIFO -> "fifo";
      case UNIX_SOCKET -> "socket";
      case POSIX_SHM -> "posix_shm";
      default -> "file";
    };
  }

  /** The passed object as its channel would show it: {@code pipe:[INODE]}, {@code socket:[INODE]}... */
  static String passedObject(IpcEvent e) {
    return ChannelKey.passedBy(e).display();
  }

  private static final String[] SEM_CALLS = {"sem_post", "sem_wait", "sem_timedwait", "sem_clockwait", "sem_trywait"};

  /** A POSIX semaphore operation, seen as a libc call (uprobe) rather than a syscall. */
  static boolean isLibcCall(IpcEvent e) {
    return e.mechanism() == Mechanism.SEM && e.syscallNr() == 0 && (e.op() == Operation.POST || e.op() == Operation.WAIT);
  }

  /** Which libc semaphore function a POSIX semaphore record came from. */
  static String semaphoreCall(IpcEvent e) {
    return e.aux() >= 0 && e.aux() < SEM_CALLS.length ? SEM_CALLS[e.aux()] : "unknown";
  }

  /** si_value is meaningful for SI_QUEUE (-1), SI_TIMER (-2) and SI_MESGQ (-3) only. */
  static boolean carriesValue(IpcEvent e) {
    return e.code() <= -1 && e.code() >= -3;
  }

  /** A lock's flc_type: F_RDLCK, F_WRLCK, F_UNLCK. */
  static String lockType(int type) {
    return switch (type) {
      case 0 -> "read";
      case 1 -> "write";
      case 2 -> "unlock";
      default -> "unknown";
    };
  }

  /** Which API took a lock, from its flc_flags: FL_OFDLCK (1024) before FL_POSIX (1), FL_FLOCK (2). */
  static String lockKind(int flags) {
    if ((flags & 1024) != 0) {
      return "ofd";
    }
    if ((flags & 1) != 0) {
      return "posix";
    }
    return (flags & 2) != 0 ? "flock" : "other";
  }

  /** mq_notify's sigev_notify: -1 when the call unregistered. */
  static String mqNotify(int sigevNotify) {
    return switch (sigevNotify) {
      case -1 -> "unregister";
      case 0 -> "signal";
      case 1 -> "none";
      case 2 -> "thread";
      default -> "unknown";
    };
  }

  /** Which end a FIFO or POSIX message queue open took, from its O_ACCMODE. */
  static String openMode(IpcEvent e) {
    return switch ((int) e.extra() & 3) {
      case 0 -> "read";
      case 1 -> "write";
      default -> "read-write";
    };
  }

  private static final int SOCK_STREAM = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_SEQPACKET = 5;

  /** A socket's type, from the probes' status field. */
  static String socketType(IpcEvent e) {
    return switch (e.status()) {
      case SOCK_STREAM -> "stream";
      case SOCK_DGRAM -> "dgram";
      case SOCK_SEQPACKET -> "seqpacket";
      default -> "other";
    };
  }

  /**
   * The inode of the caller's own socket. A transfer's channel is the sending socket of a stream or seqpacket and the
   * receiving socket of a datagram socket, and extra is the other end (socket.bpf.h); setup calls name their own.
   */
  static long ownSocket(IpcEvent e) {
    boolean sends = e.op() == Operation.WRITE || e.op() == Operation.SEND;
    boolean receives = e.op() == Operation.READ || e.op() == Operation.RECEIVE;
    if (!sends && !receives) {
      return e.channelId();
    }
    boolean channelIsSender = e.status() != SOCK_DGRAM;
    return sends == channelIsSender ? e.channelId() : e.extra();
  }

  /** The inode of the socket at the other end, 0 when unknown (not connected, or not yet accepted). */
  static long peerSocket(IpcEvent e) {
    long own = ownSocket(e);
    return own == e.channelId() ? e.extra() : e.channelId();
  }

  static String channel(ResolvedEvent r) {
    return r.channel() == null ? null : r.channel().display();
  }
}
