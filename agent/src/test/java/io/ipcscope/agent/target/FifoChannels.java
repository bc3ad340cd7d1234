package io.ipcscope.agent.target;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * Target app: two FIFOs (made by the test), each written by one thread and read by another, through the NIO paths:
 * {@code a} written with {@code Files.newOutputStream} and read with {@code FileChannel.open}, {@code b} written with
 * {@code Files.newByteChannel} and read with {@code Files.newInputStream}. N writes of 16 bytes each way. Also reads a
 * regular file through {@code FileChannel}, which must not be reported.
 */
public final class FifoChannels {

  public static void main(String[] args) throws Exception {
    Path dir = Paths.get(args[0]);
    int writes = Integer.parseInt(args[1]);
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    byte[] chunk = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    Thread writerA = new Thread(() -> run(() -> {
      try (OutputStream out = Files.newOutputStream(a)) {
        for (int i = 0; i < writes; i++) {
          out.write(chunk);
        }
      }
    }));
    writerA.start();
    long readA = 0;
    try (FileChannel in = FileChannel.open(a, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(64);
      for (int n; (n = in.read(buffer.clear())) >= 0; ) {
        readA += n;
      }
    }
    writerA.join();

    Thread writerB = new Thread(() -> run(() -> {
      try (SeekableByteChannel out = Files.newByteChannel(b, StandardOpenOption.WRITE)) {
        for (int i = 0; i < writes; i++) {
          out.write(ByteBuffer.wrap(chunk));
        }
      }
    }));
    writerB.start();
    long readB = 0;
    try (InputStream in = Files.newInputStream(b)) {
      byte[] buffer = new byte[64];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        readB += n;
      }
    }
    writerB.join();

    Path plain = dir.resolve("plain.txt");
    Files.write(plain, chunk);
    try (FileChannel in = FileChannel.open(plain)) {
      in.read(ByteBuffer.allocate(64));
    }
    System.out.println("a " + a.toRealPath());
    System.out.println("a.inode " + Files.getAttribute(a, "unix:ino"));
    System.out.println("b " + b.toRealPath());
    System.out.println("b.inode " + Files.getAttribute(b, "unix:ino"));
    System.out.println("read " + readA + " " + readB);
  }

  interface Body {
    void run() throws Exception;
  }

  private static void run(Body body) {
    try {
      body.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
