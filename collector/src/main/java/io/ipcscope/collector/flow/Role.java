package io.ipcscope.collector.flow;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;

/** Which side of a transfer an event is on: it put data or a message in, took it out, or neither. */
public enum Role {
  PRODUCER,
  CONSUMER,
  NONE;

  /** How a consumer finds what it consumed. */
  enum Kind {
    /** Bytes of a FIFO byte stream (pipe, FIFO, stream socket, TCP): paired by cumulative offset. */
    STREAM,
    /** One message taken whole (queues, datagrams, seqpackets, passed descriptors): paired one to one. */
    MESSAGE,
    /** A signal: generation paired with delivery, per target and signal number. */
    SIGNAL,
    NONE
  }

  public static Role of(IpcEvent e) {
    Kind kind = kind(e);
    if (e.failed() || kind == Kind.NONE || (kind == Kind.STREAM && e.bytes() == 0)) {
      return NONE; // a stream read of 0 bytes is end-of-file: nothing moved
    }
    return switch (e.op()) {
      case WRITE, SEND, FD_SEND, GENERATE -> e.op() == Operation.SEND && e.mechanism() == Mechanism.SIGNAL
          && e.aux() == 0 ? NONE : PRODUCER; // kill(pid, 0) only asks whether pid exists
      case READ, RECEIVE, FD_RECEIVE, DELIVER -> CONSUMER;
      default -> NONE;
    };
  }

  static Kind kind(IpcEvent e) {
    return switch (e.mechanism()) {
      case PIPE, FIFO, TCP -> e.op() == Operation.READ || e.op() == Operation.WRITE ? Kind.STREAM : Kind.NONE;
      case UNIX_SOCKET -> switch (e.op()) {
        case READ, WRITE -> Kind.STREAM;
        case SEND, RECEIVE, FD_SEND, FD_RECEIVE -> Kind.MESSAGE;
        default -> Kind.NONE;
      };
      case POSIX_MQ, SYSV_MQ, UDP -> e.op() == Operation.SEND || e.op() == Operation.RECEIVE ? Kind.MESSAGE
          : Kind.NONE;
      case SIGNAL -> e.op() == Operation.SEND || e.op() == Operation.GENERATE || e.op() == Operation.DELIVER
          ? Kind.SIGNAL : Kind.NONE;
      default -> Kind.NONE;
    };
  }
}
