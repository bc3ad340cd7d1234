package io.ipcscope.demo;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A System V message queue, request/response. The demo creates one queue (key {@link #key}, mode
 * 0600); a client JVM sends N requests of mtype {@value #REQUEST}, one msgsnd each, and waits for
 * each reply; a server JVM receives each request and sends its text back as a reply of mtype
 * {@value #REPLY} on the same queue. Both directions share the queue, so each side selects by
 * type: msgrcv msgtyp {@value #REQUEST} in the server, {@value #REPLY} in the client.
 *
 * <p>When the client is done the demo removes the queue (IPC_RMID): the server's waiting msgrcv
 * fails with EIDRM, its cue to stop. The demo removes the queue whatever happens, also on
 * SIGTERM/SIGINT.
 *
 * <p>Truth: sysv_mq "client->server requests" and "server->client replies", N messages and N *
 * size bytes each (msgsz: the text, without the long mtype), path null; a SIGCHLD from server
 * and client to the parent.
 */
final class SysvMqWorkload implements Workload {

  static final String MECHANISM = "sysv_mq";
  static final String REQUESTS = "client->server requests";
  static final String REPLIES = "server->client replies";
  static final long REQUEST = 1;
  static final long REPLY = 2;

  /** A queue key: "I" in the top byte, the demo's pid in the others. */
  private static final int KEY_TAG = 0x49000000;
  private static final int PID_MASK = 0x00ffffff;

  @Override
  public String name() {
    return "sysv-mq";
  }

  @Override
  public String description() {
    return "System V message queue: a client JVM's requests (mtype 1) answered by a server JVM (mtype 2) on one queue";
  }

  /**
   * The queue's key: "I" in the top byte, the demo's pid below (pid_max is at most 2^22). Unlike
   * IPC_PRIVATE it tells whose queue it is in {@code ipcs -q}, and a leftover of a killed demo is
   * found by its pid.
   */
  static int key(long demoPid) {
    if (demoPid <= 0 || demoPid > PID_MASK) {
      throw new IllegalArgumentException("pid " + demoPid + " does not fit in a queue key");
    }
    return KEY_TAG | (int) demoPid;
  }

  /** The pid of the demo whose queue has {@code key} ({@link #key} backwards), or empty for another key. */
  static OptionalLong demoPid(int key) {
    int pid = key & PID_MASK;
    return (key & ~PID_MASK) == KEY_TAG && pid > 0 ? OptionalLong.of(pid) : OptionalLong.empty();
  }

  /** A killed demo leaves its queue and the run's temp dir. */
  @Override
  public List<Leftovers> leftovers() {
    return List.of(SysvQueue.leftovers(SysvMqWorkload::demoPid), Run.tempDirs(name()));
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    checkSize(size);
    Process server;
    Process client;
    try (SysvQueue.Created queue = run.closeAtEnd(SysvQueue.create(key(run.pid())))) {
      List<String> id = List.of(Integer.toString(queue.queue().id()));
      server = run.startChild("server", Run.Stdio.CONTROL, id, Map.of());
      client = run.startChild("client", Run.Stdio.CONTROL, id, Map.of());
      run.announce();
      run.await(List.of(client), List.of(server));
      queue.close(); // The server's msgrcv fails with EIDRM and it exits.
      run.await(server);
    }

    long n = run.resultCount("client", "requests");
    long replies = run.resultCount("client", "replies");
    long served = run.resultCount("server", "requests");
    long answered = run.resultCount("server", "replies");
    long bytes = run.resultCount("server", "bytes");
    if (replies != n || served != n || answered != n || bytes != n * size) {
      throw new IOException("sysv-mq: client sent " + n + " requests and got " + replies + " replies; server got "
          + served + " requests (" + bytes + " bytes) and sent " + answered + " replies");
    }
    run.channel(MECHANISM, REQUESTS, client.pid(), server.pid(), n, n * size, null);
    run.channel(MECHANISM, REPLIES, server.pid(), client.pid(), n, n * size, null);
    run.childExitSignals(server, client);
  }

  /**
   * A message longer than kernel.msgmax fails with EINVAL, and one longer than a queue holds
   * (kernel.msgmnb) would wait forever: say so before starting anything.
   */
  private static void checkSize(int size) throws IOException {
    long msgmax = Sysctl.read("kernel/msgmax");
    long msgmnb = Sysctl.read("kernel/msgmnb");
    if (size > Math.min(msgmax, msgmnb)) {
      throw new IllegalArgumentException("--size " + size + " is more than a System V message may carry here"
          + " (kernel.msgmax = " + msgmax + ", kernel.msgmnb = " + msgmnb + ")");
    }
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    SysvQueue queue = SysvQueue.of(Integer.parseInt(child.arg(0)));
    switch (role) {
      case "client" -> client(queue, child);
      case "server" -> serve(queue, child);
      default -> Workload.super.child(role, child);
    }
  }

  private static void client(SysvQueue queue, ChildContext child) throws Exception {
    byte[] request = Records.newRecord(child.size());
    byte[] reply = new byte[request.length];
    long replies = 0;
    Pacer pacer = child.pacer();
    while (pacer.next()) {
      Records.stamp(request, pacer.count());
      queue.send(REQUEST, request);
      int length = queue.receive(REPLY, reply);
      if (length != request.length || !Arrays.equals(request, reply)) {
        throw new IOException("reply " + pacer.count() + " (" + length + " bytes) differs from its request");
      }
      replies++;
    }
    child.report("requests", pacer.count());
    child.report("replies", replies);
  }

  private static void serve(SysvQueue queue, ChildContext child) {
    byte[] request = new byte[child.size()];
    long served = 0;
    int length;
    while ((length = queue.receiveUnlessRemoved(REQUEST, request)) >= 0) {
      if (length != request.length) {
        throw new IllegalStateException("request " + (served + 1) + " has " + length + " bytes, not " + request.length);
      }
      queue.send(REPLY, request);
      served++;
    }
    child.report("requests", served);
    child.report("replies", served);
    child.report("bytes", served * request.length);
  }
}
