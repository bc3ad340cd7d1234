package io.ipcscope.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * TCP over loopback, request/response. A server JVM listens on 127.0.0.1 and on [::1], ports
 * chosen by the kernel, which it tells the demo in a file ({@link ServerPorts}); the demo starts a
 * client JVM with the two ports. The client connects to each (one connection per address family,
 * an AF_INET and an AF_INET6 socket: no v4-mapped addresses) and, per record, sends a request of
 * --size bytes on the IPv4 connection and reads the echo, then does the same on the IPv6 one. The
 * server echoes each request whole, in lockstep with the client (IPv4, then IPv6), and stops at
 * the EOF the client's close gives both connections.
 *
 * <p>Every write is one write(2) of a whole record on a blocking socket (SocketChannel.write with
 * a direct buffer: no copy, no splitting), which Linux completes unless a signal interrupts it;
 * each side counts its write calls and the demo records those counts, so even a cut write stays
 * exact. TCP_NODELAY on both sides: no Nagle delay.
 *
 * <p>Truth: tcp "client->server ipv4", "server->client ipv4", "client->server ipv6",
 * "server->client ipv6": N messages and N * size bytes each, path the server's address
 * ("127.0.0.1:PORT", "[::1]:PORT") in both directions; a SIGCHLD from server and client to the
 * parent.
 */
final class TcpWorkload implements Workload {

  static final String MECHANISM = "tcp";
  static final String IPV4 = "ipv4";
  static final String IPV6 = "ipv6";
  static final String PORTS_FILE = "server.ports";

  /** One loopback address family: its name in the truth and reports, its socket family and address. */
  record Family(String name, ProtocolFamily family, String host) {
    /** The loopback address; a literal, so nothing is looked up. */
    InetAddress loopback() throws IOException {
      return InetAddress.getByName(host);
    }

    /** The server's address as the truth's path: "127.0.0.1:PORT" or "[::1]:PORT". */
    String path(int port) {
      return (family == StandardProtocolFamily.INET6 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  static final List<Family> FAMILIES = List.of(
      new Family(IPV4, StandardProtocolFamily.INET, "127.0.0.1"),
      new Family(IPV6, StandardProtocolFamily.INET6, "::1"));

  @Override
  public String name() {
    return "tcp";
  }

  @Override
  public String description() {
    return "TCP over loopback: a client JVM's requests echoed by a server JVM, one connection to 127.0.0.1 and one to [::1]";
  }

  static String channelName(String from, String to, Family f) {
    return from + "->" + to + " " + f.name();
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    Path portsFile = run.tempDir().resolve(PORTS_FILE);
    Process server = run.startChild("server", Run.Stdio.CONTROL, List.of(portsFile.toString()), Map.of());
    Properties ports = ServerPorts.await(portsFile, server, "server");
    List<String> clientArgs = new ArrayList<>();
    for (Family f : FAMILIES) {
      clientArgs.add(Integer.toString(ServerPorts.port(ports, f.name())));
    }
    Process client = run.startChild("client", Run.Stdio.CONTROL, clientArgs, Map.of());
    run.announce();
    run.await(client, server);

    for (Family f : FAMILIES) {
      String k = f.name() + ".";
      long n = run.resultCount("client", k + "requests");
      long clientWrites = run.resultCount("client", k + "writes");
      long clientBytes = run.resultCount("client", k + "bytes");
      long served = run.resultCount("server", k + "requests");
      long serverWrites = run.resultCount("server", k + "writes");
      long serverBytes = run.resultCount("server", k + "bytes");
      if (served != n || clientBytes != n * size || serverBytes != n * size) {
        throw new IOException("tcp " + f.name() + ": client sent " + n + " requests (" + clientBytes
            + " bytes), server echoed " + served + " (" + serverBytes + " bytes)");
      }
      String path = f.path(ServerPorts.port(ports, f.name()));
      run.channel(MECHANISM, channelName("client", "server", f), client.pid(), server.pid(), clientWrites,
          clientBytes, path);
      run.channel(MECHANISM, channelName("server", "client", f), server.pid(), client.pid(), serverWrites,
          serverBytes, path);
    }
    run.childExitSignals(server, client);
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    child.exitWhenParentGone();
    switch (role) {
      case "server" -> serve(Path.of(child.arg(0)), child);
      case "client" -> client(child);
      default -> Workload.super.child(role, child);
    }
  }

  /** One connection of the client or the server, and what went over it. */
  private static final class Connection {
    final Family family;
    final SocketChannel channel;
    long requests;
    long writes;
    long bytes;

    Connection(Family family, SocketChannel channel) throws IOException {
      this.family = family;
      this.channel = channel;
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    /** Writes all of {@code buffer}: one write(2) per call of SocketChannel.write, counted. */
    void writeAll(ByteBuffer buffer) throws IOException {
      while (buffer.hasRemaining()) {
        bytes += channel.write(buffer);
        writes++;
      }
    }

    /** Fills {@code buffer}; false at EOF before its first byte, fails on EOF inside a record. */
    boolean readRecord(ByteBuffer buffer, String what) throws IOException {
      buffer.clear();
      while (buffer.hasRemaining()) {
        if (channel.read(buffer) < 0) {
          if (buffer.position() == 0) {
            return false;
          }
          throw new IOException(what + " on " + family.name() + ": EOF after " + buffer.position() + " of "
              + buffer.capacity() + " bytes of a record");
        }
      }
      buffer.flip();
      return true;
    }

    void report(ChildContext child) {
      child.report(family.name() + ".requests", requests);
      child.report(family.name() + ".writes", writes);
      child.report(family.name() + ".bytes", bytes);
    }
  }

  private static void serve(Path portsFile, ChildContext child) throws Exception {
    ServerSocketChannel[] listeners = new ServerSocketChannel[FAMILIES.size()];
    Connection[] connections = new Connection[FAMILIES.size()];
    try {
      for (int i = 0; i < listeners.length; i++) {
        listeners[i] = listen(FAMILIES.get(i));
      }
      Map<String, Integer> ports = new LinkedHashMap<>();
      for (int i = 0; i < listeners.length; i++) {
        ports.put(FAMILIES.get(i).name(), ((InetSocketAddress) listeners[i].getLocalAddress()).getPort());
      }
      ServerPorts.publish(portsFile, ports);
      for (int i = 0; i < listeners.length; i++) {
        connections[i] = new Connection(FAMILIES.get(i), listeners[i].accept());
        listeners[i].close(); // One connection per family: nobody else gets in.
      }
      ByteBuffer record = ByteBuffer.allocateDirect(child.size());
      while (true) {
        boolean open = connections[0].readRecord(record, "request " + (connections[0].requests + 1));
        if (!open) {
          for (int i = 1; i < connections.length; i++) {
            if (connections[i].readRecord(record, "request after the client's last")) {
              throw new IOException("the client closed " + IPV4 + " but sent another request on "
                  + connections[i].family.name());
            }
          }
          break;
        }
        connections[0].requests++;
        connections[0].writeAll(record);
        for (int i = 1; i < connections.length; i++) {
          if (!connections[i].readRecord(record, "request " + (connections[i].requests + 1))) {
            throw new IOException("the client closed " + connections[i].family.name() + " before request "
                + (connections[i].requests + 1));
          }
          connections[i].requests++;
          connections[i].writeAll(record);
        }
      }
    } finally {
      for (ServerSocketChannel l : listeners) {
        if (l != null) {
          l.close();
        }
      }
      for (Connection c : connections) {
        if (c != null) {
          c.channel.close();
        }
      }
    }
    for (Connection c : connections) {
      c.report(child);
    }
  }

  private static ServerSocketChannel listen(Family f) throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open(f.family());
    try {
      listener.bind(new InetSocketAddress(f.loopback(), 0), 1);
      return listener;
    } catch (IOException | UnsupportedOperationException e) {
      listener.close();
      throw new IOException("listening on " + f.path(0) + ": " + e.getMessage(), e);
    }
  }

  private static void client(ChildContext child) throws Exception {
    Connection[] connections = new Connection[FAMILIES.size()];
    try {
      for (int i = 0; i < connections.length; i++) {
        Family f = FAMILIES.get(i);
        int port = Integer.parseInt(child.arg(i));
        SocketChannel channel = SocketChannel.open(f.family());
        try {
          channel.connect(new InetSocketAddress(f.loopback(), port));
        } catch (IOException e) {
          channel.close();
          throw new IOException("connecting to " + f.path(port) + ": " + e.getMessage(), e);
        }
        connections[i] = new Connection(f, channel);
      }
      byte[] record = Records.newRecord(child.size());
      ByteBuffer request = ByteBuffer.allocateDirect(record.length);
      ByteBuffer reply = ByteBuffer.allocateDirect(record.length);
      Pacer pacer = child.pacer();
      while (pacer.next()) {
        Records.stamp(record, pacer.count());
        for (Connection c : connections) {
          request.clear();
          request.put(record).flip();
          c.writeAll(request);
          c.requests++;
          if (!c.readRecord(reply, "reply " + pacer.count())) {
            throw new IOException("the server closed " + c.family.name() + " before reply " + pacer.count());
          }
          if (!reply.equals(request.flip())) {
            throw new IOException("reply " + pacer.count() + " on " + c.family.name() + " differs from its request");
          }
        }
      }
    } finally {
      for (Connection c : connections) {
        if (c != null) {
          c.channel.close();
        }
      }
    }
    for (Connection c : connections) {
      c.report(child);
    }
  }
}
