package io.ipcscope.cli.top;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * CPU time of each thread of this process, JVM threads (compilers, GC) included, from {@code
 * /proc/self/task/<tid>/schedstat}: nanoseconds on a CPU, where {@code stat}'s counts are in 10 ms ticks.
 */
final class ThreadCpu {

  /** One thread at one moment: its name (as the kernel has it: 15 characters at most) and its CPU time. */
  record Sample(String name, long cpuNanos) {}

  private ThreadCpu() {}

  /** Every thread alive now, by thread id. */
  static Map<Integer, Sample> sample() {
    Map<Integer, Sample> threads = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          String schedstat = Files.readString(task.resolve("schedstat"));
          long nanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
          threads.put(Integer.parseInt(task.getFileName().toString()), new Sample(name, nanos));
        } catch (NoSuchFileException e) {
          // the thread ended between the listing and the read: its time is no longer the process's to split
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("reading /proc/self/task: " + e.getMessage(), e);
    }
    return threads;
  }

  /** CPU nanoseconds each thread used from {@code before} to {@code after}, summed per {@code group} of its name. */
  static Map<String, Long> used(Map<Integer, Sample> before, Map<Integer, Sample> after,
      Function<String, String> group) {
    Map<String, Long> byGroup = new HashMap<>();
    after.forEach((tid, now) -> {
      Sample then = before.get(tid);
      // A thread started meanwhile used all its time within the interval (a new thread may reuse an old id).
      boolean same = then != null && then.name().equals(now.name()) && then.cpuNanos() <= now.cpuNanos();
      long used = now.cpuNanos() - (same ? then.cpuNanos() : 0);
      byGroup.merge(group.apply(now.name()), used, Long::sum);
    });
    return byGroup;
  }
}
