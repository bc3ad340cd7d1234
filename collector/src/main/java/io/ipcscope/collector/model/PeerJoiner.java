package io.ipcscope.collector.model;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Names the process at the other end of every event and hands events on in arrival order.
 *
 * <p>A pipe's writer often writes before its reader's first read reaches the tracer, so an event whose other end has
 * not been seen yet waits up to {@code holdNanos} for the first operation from the other side; after that it is named
 * from holdings (a guess, flagged as such) or left unnamed. Events behind a waiting one wait with it, so output order
 * is kernel order. A message taken from a queue is paired with the send that put it there ({@link MessageMatcher}),
 * so both name each other exactly. Not thread-safe: one consumer thread owns it.
 */
public final class PeerJoiner {

  private final ProcessTable processes;
  private final ChannelTable channels;
  private final long holdNanos;
  private final Consumer<ResolvedEvent> downstream;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  /** Oldest first, so giving up on the head of the queue removes the head of its list: no linear scans. */
  private final Map<ChannelKey, ArrayDeque<Pending>> waitingByChannel = new HashMap<>();
  private final MessageMatcher<Pending> messages = new MessageMatcher<>();
  /** Descriptors passed over Unix sockets and not yet paired, by the passed object (device:inode). */
  private final Map<String, ArrayDeque<Pending>> fdSends = new HashMap<>();
  private final Map<String, ArrayDeque<Pending>> fdReceives = new HashMap<>();
  /** Loopback TCP connects and accepts not yet paired, by client:server endpoints. */
  private final Map<String, Pending> connects = new HashMap<>();
  private final Map<String, Pending> accepts = new HashMap<>();
  /** Per locked file: which process each sleeping lock request waits for, and since when (by waiter pid). */
  private final Map<ChannelKey, Map<Integer, LockWait>> lockWaits = new HashMap<>();

  private record LockWait(int holderPid, long sinceNanos) {}
  /** msgrcv's flag to copy a message without taking it (linux/msg.h). */
  private static final int MSG_COPY = 040000;

  /** An event and, once known, its peer. */
  private static final class Pending {
    final IpcEvent event;
    final ChannelKey channel;
    final String comm;
    int peerPid;
    boolean resolved;
    boolean guessed;
    long waitedNanos;
    List<Integer> sharedWith = List.of();
    /** The channel's name when the event arrived: it may be gone (IPC_RMID, unlink) by the time the event is out. */
    String pathAtArrival = "";
    /** For a receive (of a message or a descriptor): the send it took. */
    IpcEvent matched;

    Pending(IpcEvent event, ChannelKey channel, String comm) {
      this.event = event;
      this.channel = channel;
      this.comm = comm;
    }
  }

  public PeerJoiner(ProcessTable processes, ChannelTable channels, long holdNanos, Consumer<ResolvedEvent> downstream) {
    this.processes = processes;
    this.channels = channels;
    this.holdNanos = holdNanos;
    this.downstream = downstream;
  }

  public void accept(IpcEvent e) {
    if (channels.isUnplacedSemaphore(e)) {
      return; // not IPC: a private semaphore the kernel could not tell from a shared one
    }
    ChannelKey channel = channels.channelFor(e).orElse(null);
    processes.apply(e);
    String comm = e.pid() == 0 ? "[kernel]" : processes.comm(e.pid());
    channels.apply(e);
    if (e.op() == Operation.EXIT && !lockWaits.isEmpty()) {
      // a waiter killed in its sleep never acquires
      lockWaits.values().removeIf(waits -> waits.remove(e.pid()) != null && waits.isEmpty());
    }
    Pending p = new Pending(e, channel, comm.isEmpty() ? e.comm() : comm);
    if (channel != null) {
      p.pathAtArrival = channels.path(channel).orElse("");
    }
    resolve(p);
    queue.add(p);
    if (channel != null && (isTransfer(e) || e.op() == Operation.OPEN)) {
      answerWaiting(channel, e);
    }
    flush(e.tsNanos());
  }

  /** Which side an event is on: writing (a write, or an open for writing) or reading. */
  private static boolean writes(IpcEvent e) {
    return e.op() == Operation.OPEN ? (e.extra() & 3) != 0 : e.op() == Operation.WRITE;
  }

  private static boolean isTransfer(IpcEvent e) {
    return e.op() == Operation.READ || e.op() == Operation.WRITE;
  }

  private void resolve(Pending p) {
    IpcEvent e = p.event;
    switch (e.mechanism()) {
      case PIPE, FIFO -> resolveChannelPeer(p);
      case POSIX_MQ, SYSV_MQ -> resolveMessagePeer(p);
      case UNIX_SOCKET -> {
        switch (e.op()) {
          case READ, WRITE -> resolveChannelPeer(p); // a byte stream, as a pipe
          case SEND, RECEIVE -> resolveMessagePeer(p); // datagrams and seqpackets, one by one in order
          case FD_SEND, FD_RECEIVE -> resolveFdPass(p);
          default -> {
            p.peerPid = e.peerPid(); // connect and accept: the kernel's SO_PEERCRED
            p.resolved = true;
          }
        }
      }
      case FILE_LOCK -> resolveLockPeer(p);
      case POSIX_SHM, SYSV_SHM, SEM -> resolveSharers(p);
      case TCP -> {
        if (e.op() == Operation.READ || e.op() == Operation.WRITE) {
          resolveChannelPeer(p); // a byte stream per direction, as a pipe
        } else if (e.op() == Operation.CONNECT || e.op() == Operation.ACCEPT) {
          resolveConnection(p);
        } else {
          p.resolved = true;
        }
      }
      case UDP -> {
        if (e.op() == Operation.SEND || e.op() == Operation.RECEIVE) {
          resolveMessagePeer(p); // loopback datagrams arrive whole and in order
        } else {
          p.resolved = true;
        }
      }
      case PROCESS -> {
        p.peerPid = switch (e.op()) {
          // the kernel names the real parent; the table's is a fallback for records without it
          case EXIT -> e.peerPid() != 0 ? e.peerPid() : processes.get(e.pid()).map(ProcessInfo::parentPid).orElse(0);
          case FORK -> e.peerPid();
          default -> 0; // an exec has no other end
        };
        p.resolved = true;
      }
      default -> {
        p.peerPid = e.peerPid();
        p.resolved = true;
      }
    }
  }

  private void resolveChannelPeer(Pending p) {
    IpcEvent e = p.event;
    if (p.channel == null) {
      p.resolved = true;
      return;
    }
    if (e.op() == Operation.OPEN) {
      // Opening a FIFO meets whoever holds the other end; both opens return together, so the second one to
      // reach us names the first, and the first waits for the second.
      OptionalInt holder = channels.holderPeer(p.channel, e.pid(), writes(e));
      if (holder.isPresent()) {
        p.peerPid = holder.getAsInt();
        p.resolved = true;
      } else {
        waitingByChannel.computeIfAbsent(p.channel, k -> new ArrayDeque<>()).add(p);
      }
      return;
    }
    if (!isTransfer(e)) {
      p.resolved = true; // creating a pipe has no peer yet
      return;
    }
    OptionalInt active = channels.activePeer(p.channel, e.pid(), e.op() == Operation.WRITE);
    if (active.isPresent()) {
      p.peerPid = active.getAsInt();
      p.resolved = true;
    } else {
      waitingByChannel.computeIfAbsent(p.channel, k -> new ArrayDeque<>()).add(p);
    }
  }

  /** Messages taken one by one in order: queues, and datagrams and seqpackets on Unix sockets. */
  private static boolean isQueue(IpcEvent e) {
    return e.mechanism() == Mechanism.POSIX_MQ || e.mechanism() == Mechanism.SYSV_MQ
        || ((e.mechanism() == Mechanism.UNIX_SOCKET || e.mechanism() == Mechanism.UDP)
            && (e.op() == Operation.SEND || e.op() == Operation.RECEIVE));
  }

  /** A successful send or receive waits for the other side of its message; everything else has no peer. */
  private void resolveMessagePeer(Pending p) {
    IpcEvent e = p.event;
    boolean transfer = e.op() == Operation.SEND || e.op() == Operation.RECEIVE;
    if (p.channel == null || !transfer || e.result() < 0) {
      if (e.op() == Operation.REMOVE && p.channel != null) {
        messages.removed(p.channel);
      }
      p.resolved = true;
      return;
    }
    // the selector: a System V message's type, a POSIX message's priority; a socket takes its messages in order
    boolean queue = e.mechanism() == Mechanism.POSIX_MQ || e.mechanism() == Mechanism.SYSV_MQ;
    long selector = queue ? e.extra() : 0;
    MessageMatcher.Side<Pending> side = new MessageMatcher.Side<>(p, e.pid(), selector);
    if (e.op() == Operation.SEND) {
      messages.sent(p.channel, side).ifPresent(receive -> {
        Pending r = receive.item();
        r.peerPid = e.pid();
        r.resolved = true;
        r.waitedNanos = Math.max(0, r.event.tsNanos() - e.tsNanos());
        r.matched = e;
        p.peerPid = r.event.pid();
        p.resolved = true;
      });
      return;
    }
    boolean peek = e.mechanism() == Mechanism.SYSV_MQ && (e.aux() & MSG_COPY) != 0;
    messages.received(p.channel, side, peek).ifPresent(send -> {
      p.peerPid = send.pid();
      p.resolved = true;
      Pending s = send.item();
      p.waitedNanos = Math.max(0, e.tsNanos() - s.event.tsNanos());
      p.matched = s.event;
      if (!peek && !s.resolved) {
        s.peerPid = e.pid();
        s.resolved = true;
      }
    });
  }

  /**
   * A lock request that sleeps names the holder in its way (the kernel's blocker); the acquire that ends the sleep
   * names the same holder, the process it waited for. Other lock events have no other end.
   */
  private void resolveLockPeer(Pending p) {
    IpcEvent e = p.event;
    p.resolved = true;
    p.peerPid = e.peerPid();
    if (p.channel == null) {
      return;
    }
    if (e.op() == Operation.WAIT && e.status() == 1 && e.peerPid() != 0) {
      // a request woken while the lock is still taken sleeps again: its wait began with the first one
      lockWaits.computeIfAbsent(p.channel, k -> new HashMap<>())
          .merge(e.pid(), new LockWait(e.peerPid(), e.tsNanos()), (first, again) -> first);
    } else if (e.op() == Operation.ACQUIRE) {
      Map<Integer, LockWait> waits = lockWaits.get(p.channel);
      LockWait wait = waits == null ? null : waits.remove(e.pid());
      if (wait != null) {
        p.peerPid = wait.holderPid();
        p.waitedNanos = e.tsNanos() - wait.sinceNanos();
        if (waits.isEmpty()) {
          lockWaits.remove(p.channel);
        }
      }
    }
  }

  /**
   * A descriptor sent with SCM_RIGHTS is paired with its receipt, the same object (device and inode) arriving at the
   * other end: each names the other's process. One whose other side never shows up names SO_PEERCRED's process.
   */
  private void resolveFdPass(Pending p) {
    IpcEvent e = p.event;
    String passed = e.bytes() + ":" + e.extra();
    boolean sent = e.op() == Operation.FD_SEND;
    ArrayDeque<Pending> others = (sent ? fdReceives : fdSends).get(passed);
    Pending other = others == null ? null : others.poll();
    if (others != null && others.isEmpty()) {
      (sent ? fdReceives : fdSends).remove(passed);
    }
    if (other == null) {
      (sent ? fdSends : fdReceives).computeIfAbsent(passed, k -> new ArrayDeque<>()).add(p);
      return;
    }
    p.peerPid = other.event.pid();
    p.resolved = true;
    other.peerPid = e.pid();
    other.resolved = true;
    if (sent) {
      other.matched = e;
    } else {
      p.matched = other.event;
    }
  }

  private void forgetFdPass(Pending p) {
    for (Map<String, ArrayDeque<Pending>> waiting : List.of(fdSends, fdReceives)) {
      String passed = p.event.bytes() + ":" + p.event.extra();
      ArrayDeque<Pending> q = waiting.get(passed);
      if (q != null && q.remove(p) && q.isEmpty()) {
        waiting.remove(passed);
      }
    }
  }

  /**
   * A loopback TCP connect (local L, remote R) and the accept of it (local R, remote L) name each other: the same
   * connection seen from its two ends, keyed client:server.
   */
  private void resolveConnection(Pending p) {
    IpcEvent e = p.event;
    boolean connect = e.op() == Operation.CONNECT;
    String key = connect ? e.channelId() + ":" + e.extra() : e.extra() + ":" + e.channelId();
    Map<String, Pending> others = connect ? accepts : connects;
    Pending other = others.remove(key);
    if (other == null) {
      (connect ? connects : accepts).put(key, p);
      return;
    }
    p.peerPid = other.event.pid();
    p.resolved = true;
    other.peerPid = e.pid();
    other.resolved = true;
  }

  private void forgetConnection(Pending p) {
    connects.values().remove(p);
    accepts.values().remove(p);
  }

  /**
   * Shared memory has no direction: an attach names every other process that has the object mapped (an undirected
   * edge among them), the most recent of them as its peer. Other shared-memory and semaphore events have no peer.
   */
  private void resolveSharers(Pending p) {
    p.resolved = true;
    IpcEvent e = p.event;
    if (p.channel == null || e.op() != Operation.ATTACH || e.result() < 0) {
      return;
    }
    p.sharedWith = channels.holders(p.channel).stream().filter(pid -> pid != e.pid()).sorted().toList();
    p.peerPid = channels.holderPeer(p.channel, e.pid(), true).orElse(0);
  }

  /** The first operation from the other side names the peer of everything waiting on this channel. */
  private void answerWaiting(ChannelKey channel, IpcEvent answer) {
    ArrayDeque<Pending> waiting = waitingByChannel.get(channel);
    if (waiting == null) {
      return;
    }
    waiting.removeIf(w -> {
      if (w.event.pid() != answer.pid() && writes(w.event) != writes(answer)) {
        w.peerPid = answer.pid();
        w.resolved = true;
        return true;
      }
      return false;
    });
    if (waiting.isEmpty()) {
      waitingByChannel.remove(channel);
    }
  }

  /** Hands on every event that is resolved or has waited long enough at {@code nowNanos} (monotonic). */
  public void flush(long nowNanos) {
    while (!queue.isEmpty()) {
      Pending head = queue.peek();
      if (!head.resolved) {
        if (nowNanos - head.event.tsNanos() < holdNanos) {
          return;
        }
        giveUpWaiting(head);
      }
      queue.poll();
      emit(head);
    }
  }

  /** Hands on everything now, waiting or not (end of tracing). */
  public void drain() {
    while (!queue.isEmpty()) {
      Pending head = queue.poll();
      if (!head.resolved) {
        giveUpWaiting(head);
      }
      emit(head);
    }
  }

  private void giveUpWaiting(Pending p) {
    if (p.event.op() == Operation.CONNECT || p.event.op() == Operation.ACCEPT) {
      forgetConnection(p);
      p.resolved = true; // the other end was not seen: one of them is outside our view
      return;
    }
    if (p.event.op() == Operation.FD_SEND || p.event.op() == Operation.FD_RECEIVE) {
      forgetFdPass(p);
      p.peerPid = p.event.peerPid();
      p.resolved = true;
      return;
    }
    if (isQueue(p.event)) {
      // A queue keeps a message as long as nobody takes it: name the queue's latest user on the other side, and
      // keep an unreceived send in the matcher so that its receive, when it comes, still names the sender exactly.
      OptionalInt active = channels.activePeer(p.channel, p.event.pid(), p.event.op() == Operation.SEND);
      p.peerPid = active.orElse(p.event.peerPid()); // else a connected socket's SO_PEERCRED, or 0
      p.guessed = active.isPresent();
      p.resolved = true;
      if (p.event.op() == Operation.RECEIVE) {
        messages.stopWaiting(p.channel, p);
      }
      return;
    }
    OptionalInt holder = channels.holderPeer(p.channel, p.event.pid(), writes(p.event), true);
    if (holder.isEmpty() && p.event.peerPid() != 0) {
      // a socket's other end as the kernel recorded it at connect (SO_PEERCRED): a fact, though the socket may
      // since have been handed to another process
      p.peerPid = p.event.peerPid();
    } else {
      p.peerPid = holder.orElse(0);
      p.guessed = holder.isPresent();
    }
    p.resolved = true;
    ArrayDeque<Pending> waiting = waitingByChannel.get(p.channel);
    if (waiting != null) {
      waiting.removeFirstOccurrence(p);
      if (waiting.isEmpty()) {
        waitingByChannel.remove(p.channel);
      }
    }
  }

  private void emit(Pending p) {
    IpcEvent e = p.event;
    String path = ChannelTable.pathOf(e);
    if ((path.isEmpty() || e.mechanism() == Mechanism.POSIX_SHM) && p.channel != null) {
      // a mapping's record names only its file, not the path the table found for it; a name learned since arrival
      // (a semaphore linked into place) is the better one, one removed since is still the object's name
      path = channels.path(p.channel).orElse(p.pathAtArrival.isEmpty() ? path : p.pathAtArrival);
    }
    String peerComm = p.peerPid == 0 ? "" : processes.comm(p.peerPid);
    downstream.accept(
        new ResolvedEvent(e, p.comm, p.peerPid, peerComm, p.channel, path, p.guessed, p.waitedNanos, p.sharedWith,
            p.matched));
  }

  /** Events not yet handed on: those waiting for their peer and those queued behind them. */
  public int queued() {
    return queue.size();
  }
}
