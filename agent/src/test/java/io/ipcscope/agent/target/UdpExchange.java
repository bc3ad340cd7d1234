package io.ipcscope.agent.target;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * Target app: UDP on the loopback between a DatagramSocket (a) and a DatagramChannel (b), on one thread. N times: a
 * sends 5 bytes to b, b receives them and sends 7 back to the sender, a receives them. Then b connects to a, writes
 * 4 bytes (a receives them), a sends 3 and b reads them. Prints both sockets' kernel names and ports.
 */
public final class UdpExchange {

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(loopback, 0));
        DatagramChannel b = DatagramChannel.open().bind(new InetSocketAddress(loopback, 0))) {
      InetSocketAddress bAddress = (InetSocketAddress) b.getLocalAddress();
      System.out.println("a.port " + a.getLocalPort());
      System.out.println("b.port " + bAddress.getPort());
      System.out.println("a " + SocketNames.inet("udp", a.getLocalPort(), 0));
      System.out.println("b " + SocketNames.inet("udp", bAddress.getPort(), 0));
      byte[] in = new byte[64];
      for (int i = 0; i < rounds; i++) {
        a.send(new DatagramPacket(new byte[5], 5, bAddress));
        ByteBuffer buffer = ByteBuffer.allocate(64);
        SocketAddress sender = b.receive(buffer);
        expect(buffer.position(), 5);
        b.send(ByteBuffer.allocate(7), sender);
        DatagramPacket reply = new DatagramPacket(in, in.length);
        a.receive(reply);
        expect(reply.getLength(), 7);
      }
      b.connect(a.getLocalSocketAddress());
      b.write(ByteBuffer.allocate(4));
      DatagramPacket written = new DatagramPacket(in, in.length);
      a.receive(written);
      expect(written.getLength(), 4);
      a.send(new DatagramPacket(new byte[3], 3, bAddress));
      expect(b.read(ByteBuffer.allocate(64)), 3);
      System.out.println("done");
    }
  }

  private static void expect(int got, int expected) {
    if (got != expected) {
      throw new IllegalStateException("got " + got + " bytes, expected " + expected);
    }
  }
}
