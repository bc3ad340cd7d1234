package io.ipcscope.demo;

import io.ipcscope.demo.UnixSocket.Address;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Unix domain sockets, four ways. A server JVM and a client JVM talk over (1) a stream socket
 * bound to a path in the run's temp dir, (2) a stream socket bound to an abstract name with the
 * demo's pid in it, (3) two bound datagram sockets (the server's on a path, the client's on an
 * abstract name, so that replies can reach it); and (4) the demo itself talks to a "peer" JVM over
 * a socketpair. Every flow is request/response: the requester sends a record of S bytes and the
 * other side sends it back before the next one, one send-type call per record each way.
 *
 * <p>The client plays rounds: per record, one request on (1), then (2), then (3), each answered
 * before the next; the server answers in the same order, so it needs no threads, and learns
 * that the client is done from EOF on (1). In continuous mode all three flows stay busy
 * together. The demo drives (4) with its own pacer meanwhile.
 *
 * <p>The socketpair: the JDK's ProcessBuilder closes every descriptor above 2 in a child, and the
 * child's 0-2 are pipes or files the JDK opens, so a socket cannot be inherited through {@link
 * Run#startChild} (which the demo needs: it watches and stops its children). So the peer makes the
 * pair itself, writes the number of one end to a file in the temp dir, and the demo copies that
 * end into itself with pidfd_getfd(2) (Linux 5.6+; a parent may take a descriptor from its own
 * child). The peer closes its copy once the first record (or EOF) shows the demo has it; the demo
 * ends with shutdown(SHUT_WR), which the peer sees as EOF whichever process still holds the end.
 * No byte but the records crosses the pair, and the peer's control stdin stays the usual
 * parent-death watch.
 *
 * <p>Truth: eight unix_socket channels, N messages and N * S bytes each: "client->server stream"
 * and "server->client stream" (path: the listening socket's path), "client->server abstract" and
 * "server->client abstract" ("@name" of the listening socket), "client->server datagram" (path:
 * the server's datagram socket) and "server->client datagram" ("@name" of the client's), and
 * "parent->peer socketpair" and "peer->parent socketpair" (path null); a SIGCHLD from server,
 * client and peer to the parent. Messages are the send()/sendto() calls the writer made, counted
 * as made (a stream send a signal cut short is followed by another for the rest).
 */
final class UnixSocketWorkload implements Workload {

  static final String MECHANISM = "unix_socket";
  static final String STREAM_UP = "client->server stream";
  static final String STREAM_DOWN = "server->client stream";
  static final String ABSTRACT_UP = "client->server abstract";
  static final String ABSTRACT_DOWN = "server->client abstract";
  static final String DATAGRAM_UP = "client->server datagram";
  static final String DATAGRAM_DOWN = "server->client datagram";
  static final String PAIR_DOWN = "parent->peer socketpair";
  static final String PAIR_UP = "peer->parent socketpair";

  /** Socket files in the run's temp dir. */
  static final String STREAM_SOCKET = "stream.sock";
  static final String DATAGRAM_SOCKET = "datagram.sock";

  /** Where the peer says which of its descriptors the demo should take. */
  private static final String PEER_FD_FILE = "peer.fd";

  /** How long a child waits for the other side to show up, beyond JVM start. */
  static final long WAIT_LIMIT_MILLIS = 20_000;

  @Override
  public String name() {
    return "unix-socket";
  }

  @Override
  public String description() {
    return "Unix sockets: a server JVM echoes a client JVM over a path stream, an abstract stream and datagrams;"
        + " a socketpair to a peer JVM";
  }

  /** The abstract names of the demo with pid {@code demoPid}: "ipcscope-demo-PID-WHAT". */
  static Address abstractAddress(long demoPid, String what) {
    return Address.abstractName("ipcscope-demo-" + demoPid + "-" + what);
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    long maxDatagram = UnixSocket.maxDatagram();
    if (size > maxDatagram) {
      throw new IllegalArgumentException("--size " + size + " is more than a Unix datagram may carry here ("
          + maxDatagram + " bytes: 4 MiB, or 2 * net.core.wmem_max - 32 if less)");
    }
    Path dir = run.tempDir();
    Address stream = Address.path(dir.resolve(STREAM_SOCKET));
    Address abstractStream = abstractAddress(run.pid(), "stream");
    Address serverDatagram = Address.path(dir.resolve(DATAGRAM_SOCKET));
    Address clientDatagram = abstractAddress(run.pid(), "datagram-client");
    List<String> addresses = List.of(stream.display(), abstractStream.display(), serverDatagram.display(),
        clientDatagram.display());
    Path peerFdFile = dir.resolve(PEER_FD_FILE);

    Process server = run.startChild("server", Run.Stdio.CONTROL, addresses, Map.of());
    Process client = run.startChild("client", Run.Stdio.CONTROL, addresses, Map.of());
    Process peer = run.startChild("peer", Run.Stdio.CONTROL, List.of(peerFdFile.toString()), Map.of());
    run.announce();

    long pairRecords;
    long pairSends;
    try (UnixSocket pair = takePeerEnd(peer, peerFdFile)) {
      byte[] record = Records.newRecord(size);
      byte[] reply = new byte[size];
      Pacer pacer = run.pacer();
      pairSends = 0;
      while (pacer.next()) {
        Records.stamp(record, pacer.count());
        pairSends += pair.sendRecord(record);
        if (!pair.receiveRecord(reply) || !Arrays.equals(record, reply)) {
          throw new IOException("reply " + pacer.count() + " from peer is missing or differs from the request");
        }
      }
      pairRecords = pacer.count();
      pair.shutdownOutput();
      pair.expectEof();
    }
    run.await(client, server, peer);

    long n = run.resultCount("client", "records");
    long bytes = n * size;
    check(run, "server", "records", n);
    check(run, "peer", "records", pairRecords);
    check(run, "client", "datagram.sends", n);
    check(run, "server", "datagram.sends", n);
    run.channel(MECHANISM, STREAM_UP, client.pid(), server.pid(), run.resultCount("client", "stream.sends"), bytes,
        stream.display());
    run.channel(MECHANISM, STREAM_DOWN, server.pid(), client.pid(), run.resultCount("server", "stream.sends"), bytes,
        stream.display());
    run.channel(MECHANISM, ABSTRACT_UP, client.pid(), server.pid(), run.resultCount("client", "abstract.sends"),
        bytes, abstractStream.display());
    run.channel(MECHANISM, ABSTRACT_DOWN, server.pid(), client.pid(), run.resultCount("server", "abstract.sends"),
        bytes, abstractStream.display());
    run.channel(MECHANISM, DATAGRAM_UP, client.pid(), server.pid(), n, bytes, serverDatagram.display());
    run.channel(MECHANISM, DATAGRAM_DOWN, server.pid(), client.pid(), n, bytes, clientDatagram.display());
    run.channel(MECHANISM, PAIR_DOWN, run.pid(), peer.pid(), pairSends, pairRecords * size, null);
    run.channel(MECHANISM, PAIR_UP, peer.pid(), run.pid(), run.resultCount("peer", "sends"), pairRecords * size,
        null);
    run.childExitSignals(server, client, peer);
  }

  private static void check(Run run, String role, String key, long expected) throws IOException {
    long got = run.resultCount(role, key);
    if (got != expected) {
      throw new IOException("unix-socket: " + role + " reported " + key + " = " + got + ", expected " + expected);
    }
  }

  /** The peer's end of its socketpair, copied into the demo once the peer published its number. */
  private static UnixSocket takePeerEnd(Process peer, Path fdFile) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + WAIT_LIMIT_MILLIS * 1_000_000;
    while (!Files.exists(fdFile)) {
      if (!peer.isAlive()) {
        throw new IOException("peer (pid " + peer.pid() + ") exited with status " + peer.exitValue()
            + " before it made its socketpair");
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("peer (pid " + peer.pid() + ") made no socketpair within " + WAIT_LIMIT_MILLIS + " ms");
      }
      Thread.sleep(1);
    }
    int fd = Integer.parseInt(Files.readString(fdFile).strip());
    return UnixSocket.takeFrom(peer.pid(), fd, "socketpair with peer " + peer.pid());
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    switch (role) {
      case "server" -> serve(child);
      case "client" -> request(child);
      case "peer" -> peer(Path.of(child.arg(0)), child);
      default -> Workload.super.child(role, child);
    }
  }

  /**
   * Binds the datagram socket, then the abstract listener, then the path listener: once the client
   * got through to the last, the others are there too. Answers in the client's order, one send per
   * record, until EOF on the path stream.
   */
  private static void serve(ChildContext child) throws Exception {
    Address streamAddress = Address.parse(child.arg(0));
    Address abstractAddress = Address.parse(child.arg(1));
    Address datagramAddress = Address.parse(child.arg(2));
    Address clientAddress = Address.parse(child.arg(3));
    byte[] record = new byte[child.size()];
    long records = 0;
    long streamSends = 0;
    long abstractSends = 0;
    long datagramSends = 0;
    try (UnixSocket datagram = UnixSocket.datagram(datagramAddress, child.size());
        UnixSocket abstractListener = UnixSocket.listen(abstractAddress);
        UnixSocket streamListener = UnixSocket.listen(streamAddress);
        UnixSocket stream = streamListener.accept();
        UnixSocket abstractStream = abstractListener.accept()) {
      while (stream.receiveRecord(record)) {
        streamSends += stream.sendRecord(record);
        if (!abstractStream.receiveRecord(record)) {
          throw new IOException("the abstract stream ended before request " + (records + 1));
        }
        abstractSends += abstractStream.sendRecord(record);
        Address from = datagram.receiveFrom(record);
        if (!clientAddress.equals(from)) {
          throw new IOException("datagram " + (records + 1) + " came from " + from + ", not " + clientAddress);
        }
        datagram.sendTo(record, from);
        datagramSends++;
        records++;
      }
      abstractStream.expectEof();
    } finally {
      Files.deleteIfExists(Path.of(streamAddress.name()));
      Files.deleteIfExists(Path.of(datagramAddress.name()));
    }
    child.report("records", records);
    child.report("stream.sends", streamSends);
    child.report("abstract.sends", abstractSends);
    child.report("datagram.sends", datagramSends);
  }

  /** Per round one request on each flow, each checked against its reply before the next. */
  private static void request(ChildContext child) throws Exception {
    Address streamAddress = Address.parse(child.arg(0));
    Address abstractAddress = Address.parse(child.arg(1));
    Address serverDatagram = Address.parse(child.arg(2));
    Address datagramAddress = Address.parse(child.arg(3));
    byte[] record = Records.newRecord(child.size());
    byte[] reply = new byte[record.length];
    long streamSends = 0;
    long abstractSends = 0;
    long datagramSends = 0;
    Pacer pacer = child.pacer();
    try (UnixSocket datagram = UnixSocket.datagram(datagramAddress, child.size());
        UnixSocket stream = UnixSocket.connect(streamAddress, WAIT_LIMIT_MILLIS);
        UnixSocket abstractStream = UnixSocket.connect(abstractAddress, WAIT_LIMIT_MILLIS)) {
      while (pacer.next()) {
        Records.stamp(record, pacer.count());
        streamSends += stream.sendRecord(record);
        expectEcho(stream.receiveRecord(reply), record, reply, "stream", pacer.count());
        abstractSends += abstractStream.sendRecord(record);
        expectEcho(abstractStream.receiveRecord(reply), record, reply, "abstract stream", pacer.count());
        datagram.sendTo(record, serverDatagram);
        datagramSends++;
        Address from = datagram.receiveFrom(reply);
        expectEcho(serverDatagram.equals(from), record, reply, "datagram from " + from, pacer.count());
      }
    }
    child.report("records", pacer.count());
    child.report("stream.sends", streamSends);
    child.report("abstract.sends", abstractSends);
    child.report("datagram.sends", datagramSends);
  }

  private static void expectEcho(boolean arrived, byte[] record, byte[] reply, String flow, long seq)
      throws IOException {
    if (!arrived || !Arrays.equals(record, reply)) {
      throw new IOException("reply " + seq + " on the " + flow + " is " + (arrived ? "not the request" : "missing"));
    }
  }

  /**
   * Makes the socketpair, publishes the number of the end the demo takes, and echoes on the other
   * end until EOF. Its own copy of the demo's end goes once anything arrived: by then the demo has
   * it.
   */
  private static void peer(Path fdFile, ChildContext child) throws Exception {
    UnixSocket[] pair = UnixSocket.pair("socketpair with the demo");
    UnixSocket demoEnd = pair[1];
    byte[] record = new byte[child.size()];
    long records = 0;
    long sends = 0;
    try (UnixSocket mine = pair[0]) {
      try {
        Run.writeAtomically(fdFile, Integer.toString(demoEnd.fd()));
        boolean more = mine.receiveRecord(record);
        demoEnd.close();
        while (more) {
          sends += mine.sendRecord(record);
          records++;
          more = mine.receiveRecord(record);
        }
      } finally {
        demoEnd.close();
      }
    }
    child.report("records", records);
    child.report("sends", sends);
  }
}
