package io.ipcscope.agent.target;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Target app: every kind of IPC the agent instruments, each once, printing only what is the same on every run (no
 * pids, no inode numbers), so that runs with and without the agent can be compared byte for byte. Add a section
 * here for every mechanism the agent learns.
 */
public final class EveryIpc {

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("every-ipc");
    try {
      childPipes();
      childStderr();
      runtimeExec();
      pipeline();
      singleBytes();
      fifo(dir);
      regularFile(dir);
      destroy();
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir);
    }
    System.out.println("done");
  }

  /** ProcessBuilder.start, writes to the child's stdin (array, range), reads of its stdout. */
  private static void childPipes() throws Exception {
    Process cat = new ProcessBuilder("cat").start();
    try (OutputStream in = cat.getOutputStream()) {
      in.write("one\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
      byte[] two = "xxtwo\nxx".getBytes(StandardCharsets.US_ASCII);
      in.write(two, 2, 4);
      in.flush();
    }
    System.out.print("cat: " + new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
    System.out.println("cat exit " + cat.waitFor());
  }

  private static void childStderr() throws Exception {
    Process sh = new ProcessBuilder("sh", "-c", "echo to-out; echo to-err >&2; exit 3").start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    String err = new String(sh.getErrorStream().readAllBytes(), StandardCharsets.US_ASCII);
    System.out.print("sh out: " + out + "sh err: " + err);
    System.out.println("sh exit " + sh.waitFor());
  }

  private static void runtimeExec() throws Exception {
    Process tr = Runtime.getRuntime().exec(new String[] {"tr", "a-z", "A-Z"});
    try (OutputStream in = tr.getOutputStream()) {
      in.write("shout\n".getBytes(StandardCharsets.US_ASCII));
    }
    System.out.print("tr: " + new String(tr.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
    System.out.println("tr exit " + tr.waitFor());
  }

  private static void pipeline() throws Exception {
    List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
        new ProcessBuilder("printf", "b\\na\\nc\\n"), new ProcessBuilder("sort", "-r")));
    Process last = pipeline.get(pipeline.size() - 1);
    System.out.print("pipeline: " + new String(last.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
        .replace('\n', ' ') + "\n");
    for (Process p : pipeline) {
      System.out.println("pipeline exit " + p.waitFor());
    }
  }

  /** write(int) and read(): one byte per call. */
  private static void singleBytes() throws Exception {
    Process cat = new ProcessBuilder("cat").start();
    OutputStream in = cat.getOutputStream();
    for (byte b : "abc".getBytes(StandardCharsets.US_ASCII)) {
      in.write(b);
      in.flush();
    }
    in.close();
    InputStream out = cat.getInputStream();
    ByteArrayOutputStream back = new ByteArrayOutputStream();
    int b;
    while ((b = out.read()) >= 0) {
      back.write(b);
    }
    System.out.println("bytes: " + back.toString(StandardCharsets.US_ASCII));
    System.out.println("bytes exit " + cat.waitFor());
  }

  /** A FIFO opened as files by two threads of this process. */
  private static void fifo(Path dir) throws Exception {
    Path fifo = dir.resolve("fifo");
    System.out.println("mkfifo exit " + new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
        out.write("through the fifo\n".getBytes(StandardCharsets.US_ASCII));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    try (FileInputStream in = new FileInputStream(fifo.toFile())) {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buffer = new byte[64];
      int n;
      while ((n = in.read(buffer)) > 0) { // not readAllBytes: JDK 17's seeks, and a FIFO cannot
        got.write(buffer, 0, n);
      }
      System.out.print("fifo: " + got.toString(StandardCharsets.US_ASCII));
    }
    writer.get();
  }

  /** Not IPC: the agent must let it pass untouched. */
  private static void regularFile(Path dir) throws Exception {
    Path file = dir.resolve("plain.txt");
    try (FileOutputStream out = new FileOutputStream(file.toFile())) {
      out.write("a regular file\n".getBytes(StandardCharsets.US_ASCII));
    }
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      System.out.print("file: " + new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }
  }

  /** Process.destroy (SIGTERM), destroyForcibly (SIGKILL), ProcessHandle.destroy. */
  private static void destroy() throws Exception {
    Process term = new ProcessBuilder("sleep", "60").start();
    term.destroy();
    System.out.println("destroy exit " + term.waitFor());
    Process kill = new ProcessBuilder("sleep", "60").start();
    kill.destroyForcibly();
    System.out.println("destroyForcibly exit " + kill.waitFor());
    Process handle = new ProcessBuilder("sleep", "60").start();
    System.out.println("ProcessHandle.destroy " + handle.toHandle().destroy());
    System.out.println("handle exit " + handle.waitFor());
  }
}
