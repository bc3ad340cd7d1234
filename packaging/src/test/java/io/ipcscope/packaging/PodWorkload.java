package io.ipcscope.packaging;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The JVM of {@link ImageIT}'s pod: pipes "hello\n" through {@code cat} and reads it back (a spawn, a write, a read),
 * then says what it got.
 * Run with the agent the DaemonSet offers, in a pid namespace of its own.
 */
public final class PodWorkload {

  private PodWorkload() {}

  public static void main(String[] args) throws Exception {
    Process cat = new ProcessBuilder("cat").start();
    try (OutputStream in = cat.getOutputStream()) {
      in.write("hello\n".getBytes(StandardCharsets.US_ASCII));
    }
    byte[] back;
    try (InputStream out = cat.getInputStream()) {
      back = out.readNBytes(6); // cat's one write; not to the end of the stream, whose read moves nothing
    }
    System.out.println("pid " + ProcessHandle.current().pid() + " cat " + cat.waitFor() + " read "
        + new String(back, StandardCharsets.US_ASCII).strip());
  }
}
