package io.ipcscope.agent.target;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CompletableFuture;

/**
 * Target app: a Unix-domain echo between two of its threads. The client sends N messages of 6 bytes, each as one
 * gathering write of two 3-byte buffers, and reads each echo back with scattering reads; the server thread reads
 * each message with single-buffer reads and echoes it with one write. Prints the sockets' kernel names, the path,
 * and how many read calls each side made.
 */
public final class UnixSocketEcho {

  static final int SIZE = 6;

  public static void main(String[] args) throws Exception {
    int messages = Integer.parseInt(args[0]);
    Path path = Paths.get(args[1]).toAbsolutePath();
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(address);
      CompletableFuture<Integer> serverReads = CompletableFuture.supplyAsync(() -> serve(server, messages));
      try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        client.connect(address);
        System.out.println("client " + SocketNames.of(client));
        int reads = 0;
        for (int i = 0; i < messages; i++) {
          ByteBuffer[] out = {ByteBuffer.wrap("hel".getBytes(StandardCharsets.US_ASCII)),
              ByteBuffer.wrap("lo\n".getBytes(StandardCharsets.US_ASCII))};
          client.write(out);
          ByteBuffer[] back = {ByteBuffer.allocate(SIZE / 2), ByteBuffer.allocate(SIZE / 2)};
          while (back[1].hasRemaining()) {
            client.read(back);
            reads++;
          }
        }
        System.out.println("client.reads " + reads);
        System.out.println("server.reads " + serverReads.get());
      }
    }
    System.out.println("path " + path);
  }

  private static int serve(ServerSocketChannel server, int messages) {
    try (SocketChannel accepted = server.accept()) {
      System.out.println("accepted " + SocketNames.of(accepted));
      int reads = 0;
      for (int i = 0; i < messages; i++) {
        ByteBuffer message = ByteBuffer.allocate(SIZE);
        while (message.hasRemaining()) {
          accepted.read(message);
          reads++;
        }
        message.flip();
        accepted.write(message);
      }
      return reads;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
