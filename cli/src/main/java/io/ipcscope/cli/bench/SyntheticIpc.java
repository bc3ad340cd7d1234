package io.ipcscope.cli.bench;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;

/**
 * Kernel events of a synthetic host for the model benches: pairs of processes (a client and a server) that talk over
 * their own pipes (each write read whole by the peer), System V queues and signals, as the probes record them. The
 * events are what the model would see live, so every stage does its real work: the peer joiner pairs messages,
 * causal order pairs reads with writes by offset, the graph gets one edge per direction and channel.
 */
final class SyntheticIpc {

  private static final long START_NANOS = 7_000_000_000L;
  private static final int FIRST_PID = 10_000;
  private static final long FIRST_INODE = 1_000_000L;
  private static final int SIGUSR1 = 10;

  /** Where the events go, with the time they were made at (for ticks). */
  interface Sink {
    void event(IpcEvent e);
  }

  private final Sink sink;
  private long ts;
  private final long stepNanos;

  /** @param stepNanos kernel time between two events: 2 000 makes a recording of 500 k events/s */
  SyntheticIpc(Sink sink, long firstNanos, long stepNanos) {
    this.sink = sink;
    this.ts = firstNanos;
    this.stepNanos = stepNanos;
  }

  long now() {
    return ts;
  }

  static int client(int pair) {
    return FIRST_PID + 2 * pair;
  }

  static int server(int pair) {
    return FIRST_PID + 2 * pair + 1;
  }

  /** Pipe {@code k} of a pair: even ones carry requests (client to server), odd ones replies. */
  static long pipe(int pair, int k, int pipesPerPair) {
    return FIRST_INODE + (long) pair * pipesPerPair + k;
  }

  /** The client makes the pair's pipes (it would hand one end of each to the server it forks). */
  void createPipes(int pair, int pipesPerPair) {
    for (int k = 0; k < pipesPerPair; k++) {
      emit(client(pair), Mechanism.PIPE, Operation.CREATE, pipe(pair, k, pipesPerPair), 0, 0, 0, 0);
    }
  }

  /** A request over pipe {@code k} read by the server, and its reply over pipe {@code k + 1} read by the client. */
  void pipeRoundTrip(int pair, int k, int pipesPerPair, int bytes) {
    long request = pipe(pair, k, pipesPerPair);
    long reply = pipe(pair, k + 1, pipesPerPair);
    emit(client(pair), Mechanism.PIPE, Operation.WRITE, request, bytes, bytes, 0, 0);
    emit(server(pair), Mechanism.PIPE, Operation.READ, request, bytes, bytes, 0, 0);
    emit(server(pair), Mechanism.PIPE, Operation.WRITE, reply, bytes, bytes, 0, 0);
    emit(client(pair), Mechanism.PIPE, Operation.READ, reply, bytes, bytes, 0, 0);
  }

  /** A request of type 1 on the pair's System V queue, received by the server. */
  void queueMessage(int pair, int bytes) {
    long queue = 50_000L + pair;
    emit(client(pair), Mechanism.SYSV_MQ, Operation.SEND, queue, bytes, 0, 1, 0);
    emit(server(pair), Mechanism.SYSV_MQ, Operation.RECEIVE, queue, bytes, bytes, 1, 0);
  }

  /** SIGUSR1 from the client, delivered to the server. */
  void signal(int pair) {
    signalEvent(client(pair), server(pair), Operation.SEND, 0);
    signalEvent(server(pair), client(pair), Operation.DELIVER, 2);
  }

  private void signalEvent(int pid, int peer, Operation op, int status) {
    ts += stepNanos;
    sink.event(new IpcEvent(ts, START_NANOS, 0, 0, 0, pid, pid, peer, 0, 0, 0, -1, SIGUSR1, 0, Mechanism.SIGNAL, op,
        status, "p" + pid, 0, ""));
  }

  private void emit(int pid, Mechanism mechanism, Operation op, long channel, long bytes, int result, long extra,
      int status) {
    ts += stepNanos;
    sink.event(new IpcEvent(ts, START_NANOS, channel, bytes, extra, pid, pid, 0, 0, 0, result, 3, 0, 0, mechanism, op,
        status, "p" + pid, 0, ""));
  }
}
