package io.ipcscope.agent.target;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * Target app: installs a SIGUSR2 handler, raises SIGUSR2 itself, then has {@code kill} send it one; waits for both to
 * reach the handler. Prints its pid and the native thread ids of main and of the JVM's Signal Dispatcher.
 */
public final class Signals {

  public static void main(String[] args) throws Exception {
    long pid = ProcessHandle.current().pid();
    CountDownLatch handled = new CountDownLatch(2);
    Signal.handle(new Signal("USR2"), s -> handled.countDown());
    Signal.raise(new Signal("USR2"));
    awaitCount(handled, 1);
    int killed = new ProcessBuilder("kill", "-USR2", Long.toString(pid)).inheritIO().start().waitFor();
    if (!handled.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the handler did not run twice");
    }
    System.out.println("pid " + pid);
    System.out.println("kill " + killed);
    System.out.println("main " + Files.readSymbolicLink(Paths.get("/proc/thread-self")).getFileName());
    System.out.println("dispatcher " + thread("Signal Dispatch")); // comm is cut at 15 characters
  }

  private static void awaitCount(CountDownLatch latch, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (latch.getCount() > count && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static String thread(String comm) throws Exception {
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
      for (Path task : tasks) {
        if (Files.readString(task.resolve("comm")).trim().equals(comm)) {
          return task.getFileName().toString();
        }
      }
    }
    return "none";
  }
}
