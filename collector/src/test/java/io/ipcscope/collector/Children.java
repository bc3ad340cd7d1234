package io.ipcscope.collector;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Children of a process, as /proc lists them: for tests that start a process through another (unshare, nsenter). */
public final class Children {

  private Children() {}

  /** The first child of {@code pid}, once it has one (within 10 s). */
  public static int awaitFirst(int pid) throws Exception {
    Path children = Path.of("/proc/" + pid + "/task/" + pid + "/children");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(children).trim();
      if (!text.isEmpty()) {
        return Integer.parseInt(text.split(" ")[0]);
      }
      Thread.sleep(10);
    }
    throw new AssertionError("pid " + pid + " has no child");
  }
}
