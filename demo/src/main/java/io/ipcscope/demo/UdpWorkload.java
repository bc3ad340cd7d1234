package io.ipcscope.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * UDP over loopback, request/response. A server JVM binds an AF_INET datagram socket to
 * 127.0.0.1, port chosen by the kernel, and tells the demo the port in a file ({@link
 * ServerPorts}); the demo starts a client JVM with it. The client binds its own socket to
 * 127.0.0.1 and, per record, sends one datagram of --size bytes to the server (sendto) and waits
 * for the server to send it back to the client's address. One datagram in flight at a time, so
 * the receiver always keeps up and loopback drops nothing; the client gives up after {@value
 * #REPLY_TIMEOUT_MILLIS} ms without a reply. The server stops when the demo closes its stdin,
 * which it does once the client exited.
 *
 * <p>Truth: udp "client->server" and "server->client", N messages (sendto calls, one datagram
 * each) and N * size bytes each, path the server's address "127.0.0.1:PORT" in both directions;
 * a SIGCHLD from server and client to the parent. --size is at most {@value #MAX_DATAGRAM}, what
 * one IPv4 UDP datagram carries.
 */
final class UdpWorkload implements Workload {

  static final String MECHANISM = "udp";
  static final String REQUESTS = "client->server";
  static final String REPLIES = "server->client";
  static final String HOST = "127.0.0.1";
  static final String PORT = "port";

  /** 65535 (the IPv4 total length) - 20 (IP header) - 8 (UDP header). */
  static final int MAX_DATAGRAM = 65_507;

  static final int REPLY_TIMEOUT_MILLIS = 10_000;

  /** How often the server looks whether the demo closed its stdin while no datagram comes. */
  private static final int STOP_POLL_MILLIS = 50;

  @Override
  public String name() {
    return "udp";
  }

  @Override
  public String description() {
    return "UDP over loopback: a client JVM's datagrams to 127.0.0.1 sent back by a server JVM, one in flight at a time";
  }

  @Override
  public void run(Run run) throws Exception {
    int size = run.settings().size();
    if (size > MAX_DATAGRAM) {
      throw new IllegalArgumentException("--size " + size + " is more than one UDP datagram over IPv4 carries ("
          + MAX_DATAGRAM + " bytes)");
    }
    Path portsFile = run.tempDir().resolve(TcpWorkload.PORTS_FILE);
    Process server = run.startChild("server", Run.Stdio.CONTROL, List.of(portsFile.toString()), Map.of());
    int port = ServerPorts.port(ServerPorts.await(portsFile, server, "server"), PORT);
    Process client = run.startChild("client", Run.Stdio.CONTROL, List.of(Integer.toString(port)), Map.of());
    run.announce();
    run.await(List.of(client), List.of(server));
    server.getOutputStream().close(); // The server's cue to stop: every reply was received.
    run.await(server);

    long n = run.resultCount("client", "requests");
    long replies = run.resultCount("client", "replies");
    long served = run.resultCount("server", "requests");
    long answered = run.resultCount("server", "replies");
    long bytes = run.resultCount("server", "bytes");
    if (replies != n || served != n || answered != n || bytes != n * size) {
      throw new IOException("udp: client sent " + n + " datagrams and got " + replies + " back; server got "
          + served + " (" + bytes + " bytes) and sent " + answered + " back");
    }
    String path = HOST + ":" + port;
    run.channel(MECHANISM, REQUESTS, client.pid(), server.pid(), n, n * size, path);
    run.channel(MECHANISM, REPLIES, server.pid(), client.pid(), n, n * size, path);
    run.childExitSignals(server, client);
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    switch (role) {
      case "server" -> serve(Path.of(child.arg(0)), child);
      case "client" -> {
        child.exitWhenParentGone();
        client(Integer.parseInt(child.arg(0)), child);
      }
      default -> Workload.super.child(role, child);
    }
  }

  private static DatagramChannel bind() throws IOException {
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
    try {
      channel.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
      return channel;
    } catch (IOException e) {
      channel.close();
      throw new IOException("binding a datagram socket to " + HOST + ":0: " + e.getMessage(), e);
    }
  }

  /**
   * Sends {@code length} bytes of {@code data} to {@code target} as one datagram: one sendto(2),
   * which sends it whole or fails.
   */
  private static void send(DatagramChannel channel, byte[] data, int length, InetSocketAddress target)
      throws IOException {
    int sent = channel.send(ByteBuffer.wrap(data, 0, length), target);
    if (sent != length) {
      throw new IOException("sent " + sent + " of " + length + " bytes to " + target);
    }
  }

  private static void serve(Path portsFile, ChildContext child) throws Exception {
    Thread stdinWatch = new Thread(UdpWorkload::drainStdin, "stdin-watch");
    stdinWatch.setDaemon(true);
    stdinWatch.start();
    long served = 0;
    long bytes = 0;
    try (DatagramChannel channel = bind()) {
      ServerPorts.publish(portsFile,
          Map.of(PORT, ((InetSocketAddress) channel.getLocalAddress()).getPort()));
      DatagramSocket socket = channel.socket();
      socket.setSoTimeout(STOP_POLL_MILLIS);
      // One byte more than a request: a longer datagram would show as such instead of being cut silently.
      byte[] buffer = new byte[child.size() + 1];
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      while (true) {
        try {
          packet.setLength(buffer.length);
          socket.receive(packet);
        } catch (SocketTimeoutException e) {
          if (stdinWatch.isAlive()) {
            continue;
          }
          break;
        }
        if (packet.getLength() != child.size()) {
          throw new IOException("datagram " + (served + 1) + " from " + packet.getSocketAddress() + " has "
              + packet.getLength() + " bytes, not " + child.size());
        }
        served++;
        bytes += packet.getLength();
        send(channel, buffer, packet.getLength(), (InetSocketAddress) packet.getSocketAddress());
      }
    }
    child.report("requests", served);
    child.report("replies", served);
    child.report("bytes", bytes);
  }

  /** Returns at EOF on stdin: the demo closed it (or died). The demo never writes to it. */
  private static void drainStdin() {
    try {
      InputStream in = System.in;
      while (in.read() != -1) {
        // Nothing comes; wait for EOF.
      }
    } catch (IOException ignored) {
      // Same as EOF.
    }
  }

  private static void client(int port, ChildContext child) throws Exception {
    InetSocketAddress server = new InetSocketAddress(InetAddress.getByName(HOST), port);
    byte[] request = Records.newRecord(child.size());
    byte[] reply = new byte[request.length + 1];
    DatagramPacket packet = new DatagramPacket(reply, reply.length);
    long replies = 0;
    Pacer pacer = child.pacer();
    try (DatagramChannel channel = bind()) {
      DatagramSocket socket = channel.socket();
      socket.setSoTimeout(REPLY_TIMEOUT_MILLIS);
      while (pacer.next()) {
        Records.stamp(request, pacer.count());
        send(channel, request, request.length, server);
        packet.setLength(reply.length);
        try {
          socket.receive(packet);
        } catch (SocketTimeoutException e) {
          throw new IOException("no reply to datagram " + pacer.count() + " within " + REPLY_TIMEOUT_MILLIS + " ms");
        }
        if (!packet.getSocketAddress().equals(server) || packet.getLength() != request.length
            || !Arrays.equals(request, 0, request.length, reply, 0, packet.getLength())) {
          throw new IOException("reply " + pacer.count() + " (" + packet.getLength() + " bytes from "
              + packet.getSocketAddress() + ") differs from its datagram");
        }
        replies++;
      }
    }
    child.report("requests", pacer.count());
    child.report("replies", replies);
  }
}
