package io.ipcscope.cli.attach;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * A JVM started without the agent, for {@code ipcscope attach}: says "ready", and at each line "go" on its stdin
 * starts {@code cat}, writes N lines of 6 bytes to it, reads them back and prints the child's stdin pipe. Ends when
 * its stdin closes.
 */
public final class AttachTarget {

  public static void main(String[] args) throws Exception {
    int lines = Integer.parseInt(args[0]);
    System.out.println("ready");
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String command;
    while ((command = commands.readLine()) != null) {
      if (!command.equals("go")) {
        continue;
      }
      Process cat = new ProcessBuilder("cat").start();
      String stdin = Files.readSymbolicLink(Paths.get("/proc/" + cat.pid() + "/fd/0")).toString();
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
      cat.waitFor();
      System.out.println("stdin " + stdin);
    }
  }
}
