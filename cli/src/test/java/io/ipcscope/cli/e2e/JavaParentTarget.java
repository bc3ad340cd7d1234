package io.ipcscope.cli.e2e;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Java parent of {@link AgentJoinKernelTest}, run in its own JVM with the ipcscope agent: it says who it is,
 * waits for "go" on stdin (the test's word that the collector has welcomed its agent), then
 * <ol>
 *   <li>pipes {@code 3\n1\n2\n} to {@code sort} in one write, sort's output going to the file {@code args[0]};
 *   <li>starts {@code sh} with a SIGTERM handler, reads its "ready", and ends it with {@code Process.destroy()}.
 * </ol>
 * It prints each fact the test checks the spans against (pids, its thread, the pipe as /proc names it), then waits
 * for its stdin to close, so that it lives until the test has what it needs.
 */
public final class JavaParentTarget {

  private JavaParentTarget() {}

  public static void main(String[] args) throws Exception {
    BufferedReader test = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("pid " + ProcessHandle.current().pid());
    System.out.println("tid " + Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName());
    System.out.flush();
    if (!"go".equals(test.readLine())) {
      throw new IllegalStateException("expected go");
    }

    Process sort = new ProcessBuilder("sort").redirectOutput(Path.of(args[0]).toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    System.out.println("sort " + sort.pid());
    System.out.println("sort-stdin " + Files.readSymbolicLink(Path.of("/proc/" + sort.pid() + "/fd/0")));
    try (OutputStream in = sort.getOutputStream()) {
      in.write("3\n1\n2\n".getBytes(StandardCharsets.US_ASCII));
      in.flush(); // one write(2) of 6 bytes
    }
    System.out.println("sort-exit " + sort.waitFor());

    Process sh = new ProcessBuilder("sh", "-c", "trap 'exit 0' TERM; echo ready; read x").start();
    System.out.println("sh " + sh.pid());
    System.out.println("sh-stdout " + Files.readSymbolicLink(Path.of("/proc/" + sh.pid() + "/fd/1")));
    BufferedReader ready = new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.US_ASCII));
    System.out.println("sh-says " + ready.readLine());
    sh.destroy(); // SIGTERM, which its trap takes
    System.out.println("sh-exit " + sh.waitFor());
    System.out.println("done");
    System.out.flush();

    while (test.readLine() != null) {
      // until the test closes our stdin
    }
  }

  /** Reads what the target printed, "key value" per line. */
  static String value(java.util.List<String> lines, String key) {
    for (String line : lines) {
      if (line.startsWith(key + " ")) {
        return line.substring(key.length() + 1);
      }
    }
    throw new AssertionError("no '" + key + "' in " + lines);
  }
}
