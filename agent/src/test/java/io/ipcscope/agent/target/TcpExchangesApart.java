package io.ipcscope.agent.target;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Target app: two TCP exchanges on the loopback (connect, accept, a write of 3 bytes, a read of them) args[0]
 * milliseconds apart: long enough for the agent's own OTLP exporter to send the first one's spans (and so connect and
 * write) in between. Prints each exchange's sockets' kernel names.
 */
public final class TcpExchangesApart {

  public static void main(String[] args) throws Exception {
    exchange("1");
    Thread.sleep(Long.parseLong(args[0]));
    exchange("2");
  }

  private static void exchange(String name) throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 1, loopback);
        Socket client = new Socket(loopback, server.getLocalPort());
        Socket accepted = server.accept()) {
      client.getOutputStream().write(new byte[3]);
      byte[] in = new byte[3];
      if (accepted.getInputStream().read(in) != 3) {
        throw new IllegalStateException("short read");
      }
      System.out.println(name + ".client " + SocketNames.inet("tcp", client.getLocalPort(), server.getLocalPort()));
      System.out.println(name + ".accepted "
          + SocketNames.inet("tcp", server.getLocalPort(), client.getLocalPort()));
    }
  }
}
