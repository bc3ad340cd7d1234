package io.ipcscope.agent.target;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Target app: sockets the agent must take for its own. It connects to the collector's agent socket itself (args[0])
 * and writes a line there; it listens on the port of its OTLP endpoint (args[1]) and connects to it, non-blocking,
 * and writes 5 bytes, which the accepting end reads. Then a non-blocking connect to another port of its own, which
 * finishConnect completes (and a second finishConnect finds done), and 2 bytes the other end reads.
 */
public final class AgentOwnSockets {

  public static void main(String[] args) throws Exception {
    try (SocketChannel collector = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      collector.connect(UnixDomainSocketAddress.of(args[0]));
      collector.write(StandardCharsets.UTF_8.encode("{\"type\":\"target\"}\n"));
      System.out.println("collector " + SocketNames.of(collector));
    }
    InetAddress loopback = InetAddress.getLoopbackAddress();
    exchange(new InetSocketAddress(loopback, Integer.parseInt(args[1])), "otlp", 5);
    exchange(new InetSocketAddress(loopback, 0), "other", 2);
  }

  private static void exchange(InetSocketAddress address, String name, int bytes) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open().bind(address);
        SocketChannel client = SocketChannel.open()) {
      client.configureBlocking(false);
      client.connect(server.getLocalAddress());
      while (!client.finishConnect()) {
        Thread.sleep(1);
      }
      if (!client.finishConnect()) {
        throw new IllegalStateException("connected, then not");
      }
      try (SocketChannel accepted = server.accept()) {
        ByteBuffer out = ByteBuffer.allocate(bytes);
        while (out.hasRemaining()) {
          client.write(out);
        }
        ByteBuffer in = ByteBuffer.allocate(bytes);
        int reads = 0;
        while (in.hasRemaining()) {
          accepted.read(in);
          reads++;
        }
        System.out.println(name + ".reads " + reads);
        System.out.println(name + ".client " + SocketNames.of(client));
        System.out.println(name + ".accepted " + SocketNames.of(accepted));
        System.out.println(name + ".port " + ((InetSocketAddress) server.getLocalAddress()).getPort());
      }
    }
  }
}
