package io.ipcscope.agent.target;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Target app: starts {@code cat} (its output discarded) and writes N lines of 6 bytes to it, one write each: exactly
 * 1 + N operations. Prints "done", then waits for its own stdin to close before it ends the child and exits, so
 * that a test can start a collector in between.
 */
public final class QueueChild {

  public static void main(String[] args) throws Exception {
    int lines = Integer.parseInt(args[0]);
    Process cat = new ProcessBuilder("cat").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    OutputStream in = cat.getOutputStream();
    byte[] line = "hello\n".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < lines; i++) {
      in.write(line);
      in.flush();
    }
    System.out.println("done");
    while (System.in.read() >= 0) {
      // until the test closes our stdin
    }
    in.close();
    System.out.println("exit " + cat.waitFor());
  }
}
