package io.ipcscope.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The process running now under the pid a demo's object is named after, as /proc shows it, and
 * whether that process may still be the demo that made the object. Pids are reused, so "a process
 * has that pid" is not enough:
 *
 * <ul>
 *   <li>no process (or a zombie): the demo is gone, the object is left over;
 *   <li>a process that is not a JVM (/proc/PID/cmdline, /proc/PID/exe): not a demo, left over;
 *   <li>a JVM started after the object was made or last changed: it cannot have made it, so the
 *       pid was reused, left over;
 *   <li>a JVM started before: the demo itself, kept, also when its command line does not say
 *       "demo" (a workload run inside another JVM through {@link Run}, as the tests do).
 * </ul>
 *
 * @param started null when unknown (then the object is kept)
 */
record Owner(long pid, boolean running, /* @Nullable */ Instant started, List<String> command, boolean jvm) {

  /**
   * Start times come from clock ticks since boot plus a boot time in whole seconds, and sysv_mq
   * times are whole seconds: a start this much later than the object is surely later.
   */
  static final Duration CLOCK_SLACK = Duration.ofSeconds(2);

  /** What became of the object: removed or kept, and why, in words for the user. */
  record Verdict(boolean leftOver, String reason) {}

  /** The process under {@code pid} now. */
  static Owner of(long pid) {
    Path proc = Path.of("/proc", Long.toString(pid));
    String stat;
    try {
      stat = read(proc.resolve("stat"));
    } catch (IOException e) {
      return new Owner(pid, false, null, List.of(), false);
    }
    // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'.
    char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
    if (state == 'Z' || state == 'X') {
      return new Owner(pid, false, null, List.of(), false);
    }
    List<String> command = List.of();
    try {
      String cmdline = read(proc.resolve("cmdline"));
      command = cmdline.isEmpty() ? List.of() : Arrays.asList(cmdline.split("\0"));
    } catch (IOException e) {
      // Gone meanwhile, or unreadable: judged by its exe alone.
    }
    boolean jvm = !command.isEmpty() && isJava(command.get(0));
    try {
      jvm |= isJava(Files.readSymbolicLink(proc.resolve("exe")).toString());
    } catch (IOException | UnsupportedOperationException e) {
      // Another user's process without privileges, or a kernel thread.
    }
    Instant started = ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).orElse(null);
    return new Owner(pid, true, started, List.copyOf(command), jvm);
  }

  /** Decodes leniently: a command line need not be UTF-8. */
  private static String read(Path file) throws IOException {
    return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
  }

  private static boolean isJava(String program) {
    String name = Path.of(program).getFileName() == null ? program : Path.of(program).getFileName().toString();
    return name.equals("java");
  }

  /** Whether its command line runs {@code ipcscope demo} or {@link DemoCommand}. */
  boolean demoCommandLine() {
    return command.contains(DemoCommand.class.getName()) || command.contains("demo");
  }

  /** Whether an object made or last changed at {@code changed}, named after this pid, is left over. */
  Verdict judge(Instant changed) {
    if (!running) {
      return new Verdict(true, "its demo (pid " + pid + ") is gone");
    }
    if (!jvm) {
      return new Verdict(true, "pid " + pid + " is now " + shortCommand() + ", not an ipcscope demo");
    }
    if (started != null && started.isAfter(changed.plus(CLOCK_SLACK))) {
      return new Verdict(true, "pid " + pid + " is now another process (" + shortCommand() + "), started after it");
    }
    return new Verdict(false, demoCommandLine()
        ? "its demo (pid " + pid + ") is running"
        : "pid " + pid + " (" + shortCommand() + ") is a JVM older than it: its demo may run there");
  }

  /** The program and its first arguments, for messages. */
  String shortCommand() {
    if (command.isEmpty()) {
      return "a process without a command line";
    }
    String text = String.join(" ", command);
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
