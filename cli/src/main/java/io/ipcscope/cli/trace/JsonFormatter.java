package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.model.SignalNames;
import io.ipcscope.probes.event.ExecPath;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;

/** JSON Lines, one object per event; the schema is docs/EVENTS.md. Written by hand: this is the hot path. */
public final class JsonFormatter implements EventFormatter {

  private final MonotonicClock clock;

  JsonFormatter(MonotonicClock clock) {
    this.clock = clock;
  }

  private static final int SIGCHLD = 17;

  @Override
  public String header() {
    return null;
  }

  @Override
  public void format(ResolvedEvent r, StringBuilder out) {
    IpcEvent e = r.event();
    out.append("{\"ts_ns\":").append(e.tsNanos());
    out.append(",\"time_unix_ns\":").append(clock.toEpochNanos(e.tsNanos()));
    out.append(",\"pid\":").append(e.pid());
    out.append(",\"tid\":").append(e.tid());
    string(out, "comm", e.pid() == 0 ? "[kernel]" : r.comm());
    out.append(",\"start_ns\":").append(e.startNanos());
    string(out, "mechanism", e.mechanism().id());
    string(out, "op", e.op().id());
    String channel = Describe.channel(r);
    if (channel != null) {
      string(out, "channel", channel);
    }
    if (!r.path().isEmpty()) {
      string(out, "path", r.path());
    }
    out.append(",\"peer_pid\":").append(r.peerPid());
    if (r.peerPid() != 0) {
      string(out, "peer_comm", r.peerComm());
      if (r.peerGuessed()) {
        out.append(",\"peer_guessed\":true");
      }
    }
    boolean tidOfPeer = e.mechanism() == Mechanism.SIGNAL || e.mechanism() == Mechanism.PROCESS; // else op data
    if (tidOfPeer && e.peerTid() != 0) {
      out.append(",\"peer_tid\":").append(e.peerTid());
    }
    if (e.mechanism() == Mechanism.PIPE || e.mechanism() == Mechanism.FIFO) {
      out.append(",\"bytes\":").append(e.bytes());
      out.append(",\"fd\":").append(e.fd());
      if (e.op() == Operation.OPEN) {
        string(out, "mode", Describe.openMode(e));
      }
    }
    if (e.mechanism() == Mechanism.SYSV_MQ) {
      sysvQueue(e, out);
    }
    if (e.mechanism() == Mechanism.UNIX_SOCKET) {
      unixSocket(e, out);
    }
    if (e.mechanism() == Mechanism.POSIX_SHM || e.mechanism() == Mechanism.SYSV_SHM) {
      sharedMemory(r, out);
    }
    if (e.mechanism() == Mechanism.SEM) {
      semaphore(e, out);
    }
    if (e.mechanism() == Mechanism.TCP || e.mechanism() == Mechanism.UDP) {
      inet(r, out);
    }
    if (e.mechanism() == Mechanism.POSIX_MQ) {
      posixQueue(e, out);
    }
    if (r.waitedNanos() > 0) {
      // a message's time in its queue, a lock's sleep before it was acquired
      out.append(e.op() == Operation.RECEIVE ? ",\"queued_ns\":" : ",\"waited_ns\":").append(r.waitedNanos());
    }
    if (e.mechanism() == Mechanism.FILE_LOCK) {
      fileLock(e, out);
    }
    if (e.mechanism() == Mechanism.SIGNAL) {
      string(out, "signal", SignalNames.name(e.aux()));
      out.append(",\"signal_code\":").append(e.code());
      string(out, "signal_outcome", Describe.signalOutcome(e));
      if (e.aux() == SIGCHLD && e.op() != Operation.SEND) {
        out.append(",\"child_status\":").append(e.extra());
      } else if (Describe.carriesValue(e)) {
        out.append(",\"signal_value\":").append(e.extra());
      }
    }
    if (e.mechanism() == Mechanism.PROCESS && e.op() == Operation.EXEC && !ExecPath.commandLine(e).isEmpty()) {
      string(out, "args", ExecPath.commandLine(e));
    }
    if (e.mechanism() == Mechanism.PROCESS && e.op() == Operation.EXIT) {
      out.append(",\"exit_status\":").append(e.aux());
      string(out, "exit", Describe.exitStatus(e.aux()));
    }
    if (Describe.fromSyscall(e)) {
      out.append(",\"syscall_nr\":").append(e.syscallNr());
    }
    out.append(",\"result\":").append(e.result());
    out.append('}');
  }

  /** msgget: key; msgsnd/msgrcv: bytes and message type (and the type asked for by msgrcv). */
  private static void sysvQueue(IpcEvent e, StringBuilder out) {
    switch (e.op()) {
      case OPEN -> string(out, "key", String.format("0x%08x", (int) e.extra()));
      case SEND, RECEIVE -> {
        out.append(",\"bytes\":").append(e.bytes());
        out.append(",\"msg_type\":").append(e.extra());
        if (e.op() == Operation.RECEIVE) {
          out.append(",\"msg_type_wanted\":").append(e.code());
        }
      }
      default -> { }
    }
  }

  /** Both sockets by inode (as /proc/PID/fd names them), the caller's fd, the socket type, and bytes moved. */
  private static void unixSocket(IpcEvent e, StringBuilder out) {
    string(out, "socket_type", Describe.socketType(e));
    if (e.op() == Operation.FD_SEND || e.op() == Operation.FD_RECEIVE) {
      out.append(",\"passed_fd\":").append(e.aux());
      string(out, "passed_kind", Describe.passedKind(e));
      string(out, "passed", Describe.passedObject(e));
      return;
    }
    out.append(",\"socket\":").append(Describe.ownSocket(e));
    long peer = Describe.peerSocket(e);
    if (peer != 0) {
      out.append(",\"peer_socket\":").append(peer);
    }
    out.append(",\"fd\":").append(e.fd());
    if (e.op() == Operation.CREATE && e.syscallNr() == SYS_SOCKETPAIR) {
      out.append(",\"peer_fd\":").append(e.aux());
    }
    switch (e.op()) {
      case READ, WRITE, SEND, RECEIVE -> out.append(",\"bytes\":").append(e.bytes());
      default -> { }
    }
  }

  private static final int SYS_SOCKETPAIR = 53;
  private static final int PROT_WRITE = 2;
  private static final int SHM_RDONLY = 010000;
  private static final int SEM_UNDO = 010000;
  private static final int IPC_NOWAIT = 04000;

  /** Mappings: where, how much, how; and who else has the object mapped. Creations: the key or name and size. */
  private static void sharedMemory(ResolvedEvent r, StringBuilder out) {
    IpcEvent e = r.event();
    switch (e.op()) {
      case ATTACH -> {
        string(out, "address", "0x" + Long.toHexString(e.extra()));
        if (e.mechanism() == Mechanism.POSIX_SHM) {
          out.append(",\"bytes\":").append(e.bytes());
          out.append(",\"offset\":").append((long) e.peerTid() << 12);
          out.append(",\"fd\":").append(e.fd());
        }
        boolean writable = e.mechanism() == Mechanism.SYSV_SHM ? (e.aux() & SHM_RDONLY) == 0 : (e.aux() & PROT_WRITE) != 0;
        string(out, "access", writable ? "read-write" : "read");
        out.append(",\"shared_with\":").append(r.sharedWith().toString().replace(" ", ""));
      }
      case DETACH -> {
        string(out, "address", "0x" + Long.toHexString(e.extra()));
        if (e.bytes() > 0) {
          out.append(",\"bytes\":").append(e.bytes());
        }
      }
      case OPEN -> {
        if (e.mechanism() == Mechanism.POSIX_SHM) { // shm_open
          out.append(",\"fd\":").append(e.fd());
          string(out, "mode", Describe.openMode(e));
        } else {
          string(out, "key", String.format("0x%08x", (int) e.extra()));
          out.append(",\"bytes\":").append(e.bytes());
        }
      }
      case CREATE -> out.append(",\"fd\":").append(e.fd());
      case LINK -> {
        String[] names = ChannelTable.linkNames(e);
        if (names.length == 2) {
          string(out, "old_path", names[1]);
        }
      }
      default -> { }
    }
  }

  /** Loopback TCP and UDP: the endpoints the data went from and to, the caller's fd, the bytes. */
  private static void inet(ResolvedEvent r, StringBuilder out) {
    IpcEvent e = r.event();
    boolean connection = e.op() == Operation.CONNECT || e.op() == Operation.ACCEPT;
    // a datagram received without its source: the sender the collector found, when it found one
    long from = e.channelId() == 0 && r.channel() != null ? r.channel().inode() : e.channelId();
    if (from != 0) {
      string(out, connection ? "local" : "from", ChannelKey.endpoint(from));
    }
    string(out, connection ? "remote" : "to", ChannelKey.endpoint(e.extra()));
    out.append(",\"fd\":").append(e.fd());
    if (!connection) {
      out.append(",\"bytes\":").append(e.bytes());
    }
  }

  /** semget: key and set size; semop: which semaphore, by how much, and the flags that change how it waits. */
  private static void semaphore(IpcEvent e, StringBuilder out) {
    switch (e.op()) {
      case OPEN -> {
        string(out, "key", String.format("0x%08x", (int) e.extra()));
        out.append(",\"nsems\":").append(e.bytes());
      }
      case POST, WAIT -> {
        if (Describe.isLibcCall(e)) { // a POSIX semaphore: named by the shared mapping it lives in
          string(out, "call", Describe.semaphoreCall(e));
          string(out, "address", "0x" + Long.toHexString(e.extra()));
          return;
        }
        out.append(",\"sem_num\":").append(e.aux());
        out.append(",\"sem_op\":").append(e.code());
        if ((e.extra() & IPC_NOWAIT) != 0) {
          out.append(",\"nowait\":true");
        }
        if ((e.extra() & SEM_UNDO) != 0) {
          out.append(",\"undo\":true");
        }
      }
      default -> { }
    }
  }

  /** Which lock, of which kind, over which range; for a wait, whether the request sleeps or failed at once. */
  private static void fileLock(IpcEvent e, StringBuilder out) {
    string(out, "lock", Describe.lockType(e.aux()));
    string(out, "lock_kind", Describe.lockKind(e.code()));
    out.append(",\"range_start\":").append(e.extra());
    if (e.bytes() == Long.MAX_VALUE) {
      string(out, "range_end", "eof");
    } else {
      out.append(",\"range_end\":").append(e.bytes());
    }
    if (e.op() == Operation.WAIT) {
      out.append(",\"sleeps\":").append(e.status() == 1);
    }
  }

  /** mq_open: fd and mode; sends and receives: bytes and priority; mq_notify: how it notifies. */
  private static void posixQueue(IpcEvent e, StringBuilder out) {
    switch (e.op()) {
      case OPEN -> {
        out.append(",\"fd\":").append(e.fd());
        string(out, "mode", Describe.openMode(e));
      }
      case SEND, RECEIVE -> {
        out.append(",\"fd\":").append(e.fd());
        out.append(",\"bytes\":").append(e.bytes());
        out.append(",\"priority\":").append(e.extra());
      }
      case NOTIFY -> {
        out.append(",\"fd\":").append(e.fd());
        string(out, "notify", Describe.mqNotify(e.code()));
        if (e.code() == 0) {
          string(out, "signal", SignalNames.name(e.aux()));
        }
      }
      default -> { }
    }
  }

  @Override
  public void lost(long count, StringBuilder out) {
    out.append("{\"mechanism\":\"ipcscope\",\"op\":\"lost\",\"count\":").append(count).append('}');
  }

  static void string(StringBuilder out, String key, String value) {
    out.append(",\"").append(key).append("\":\"");
    escape(value, out);
    out.append('"');
  }

  public static void escape(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
  }
}
