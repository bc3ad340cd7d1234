package io.ipcscope.agent.target;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Target app: starts {@code cat}, writes N lines of 6 bytes to its stdin (one write each), reads them back, closes.
 * Prints what it knows for the test to compare: the child's pid and the kernel names of the child's stdin and stdout.
 */
public final class PipeChild {

  public static void main(String[] args) throws Exception {
    int lines = Integer.parseInt(args[0]);
    Process cat = new ProcessBuilder("cat").start();
    System.out.println("child " + cat.pid());
    System.out.println("stdin " + Files.readSymbolicLink(Paths.get("/proc/" + cat.pid() + "/fd/0")));
    System.out.println("stdout " + Files.readSymbolicLink(Paths.get("/proc/" + cat.pid() + "/fd/1")));
    OutputStream in = cat.getOutputStream();
    InputStream out = cat.getInputStream();
    byte[] line = "hello\n".getBytes(StandardCharsets.US_ASCII);
    byte[] back = new byte[line.length];
    for (int i = 0; i < lines; i++) {
      in.write(line);
      in.flush();
      int got = 0;
      while (got < back.length) {
        got += out.read(back, got, back.length - got);
      }
    }
    in.close();
    System.out.println("exit " + cat.waitFor());
  }
}
