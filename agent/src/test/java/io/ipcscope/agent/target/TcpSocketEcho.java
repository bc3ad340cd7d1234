package io.ipcscope.agent.target;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Target app: a TCP echo on the loopback between two of its threads, with java.net.Socket and ServerSocket. The
 * client writes N messages of 6 bytes (one write each) and reads each echo back, then writes one byte alone and
 * reads it back alone; the server thread does the mirror. Prints the sockets' kernel names and ports, and how many
 * read calls each side made.
 */
public final class TcpSocketEcho {

  static final int SIZE = 6;

  public static void main(String[] args) throws Exception {
    int messages = Integer.parseInt(args[0]);
    InetAddress loopback = InetAddress.getLoopbackAddress();
    try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
      CompletableFuture<Integer> serverReads = CompletableFuture.supplyAsync(() -> serve(server, messages));
      try (Socket client = new Socket(loopback, server.getLocalPort())) {
        System.out.println("server.port " + server.getLocalPort());
        System.out.println("client.port " + client.getLocalPort());
        System.out.println("client " + SocketNames.inet("tcp", client.getLocalPort(), server.getLocalPort()));
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        byte[] message = "hello\n".getBytes(StandardCharsets.US_ASCII);
        int reads = 0;
        for (int i = 0; i < messages; i++) {
          out.write(message);
          reads += readFully(in, new byte[SIZE]);
        }
        out.write('x');
        if (in.read() != 'x') {
          throw new IllegalStateException("no echo of the single byte");
        }
        reads++;
        System.out.println("client.reads " + reads);
        System.out.println("server.reads " + serverReads.get());
      }
    }
  }

  private static int serve(ServerSocket server, int messages) {
    try (Socket accepted = server.accept()) {
      System.out.println("accepted " + SocketNames.inet("tcp", accepted.getLocalPort(), accepted.getPort()));
      InputStream in = accepted.getInputStream();
      OutputStream out = accepted.getOutputStream();
      int reads = 0;
      for (int i = 0; i < messages; i++) {
        byte[] message = new byte[SIZE];
        reads += readFully(in, message);
        out.write(message);
      }
      out.write(in.read());
      return reads + 1;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the read calls it took */
  private static int readFully(InputStream in, byte[] buffer) throws Exception {
    int got = 0;
    int reads = 0;
    while (got < buffer.length) {
      int n = in.read(buffer, got, buffer.length - got);
      if (n < 0) {
        throw new IllegalStateException("end of stream");
      }
      got += n;
      reads++;
    }
    return reads;
  }
}
