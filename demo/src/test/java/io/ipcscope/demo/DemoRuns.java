package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Demos run as their own JVMs with java.io.tmpdir = {@code tmp}, for the cleanup tests: started in continuous mode,
 * killed with SIGKILL to leave their objects behind, and at the end stopped and cleaned up whatever happened.
 */
final class DemoRuns {

  private static final Pattern PIDS = Pattern.compile("demo (\\S+): pids parent=(\\d+) (.*)");

  private final Path tmp;
  private final List<Process> started = new ArrayList<>();

  /** A demo JVM, once it printed its pids, and its children. */
  record Started(Process demo, List<Long> children) {
    long pid() {
      return demo.pid();
    }
  }

  DemoRuns(Path tmp) {
    this.tmp = tmp;
  }

  /** {@code workload} for 60 s at 20 records a second, once it printed its pids. */
  Started start(String workload) throws Exception {
    Process demo = new ProcessBuilder(java(DemoCommand.class.getName(), workload, "--duration", "60", "--rate", "20"))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    started.add(demo);
    String line = new BufferedReader(new InputStreamReader(demo.getErrorStream())).readLine();
    assertThat(line).as("first stderr line of demo " + workload).isNotNull();
    Matcher m = PIDS.matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    List<Long> children = Stream.of(m.group(3).split(" ")).map(kv -> Long.parseLong(kv.split("=")[1])).toList();
    return new Started(demo, children);
  }

  /** This JVM's java and class path, small and quick to start, with java.io.tmpdir = tmp, running {@code args}. */
  List<String> java(String... args) {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "-Djava.io.tmpdir=" + tmp, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
    command.addAll(List.of(args));
    return command;
  }

  /** SIGKILL: the demo leaves its objects; its children notice it is gone and exit. */
  static void kill(Started s) throws Exception {
    Libc.kill(s.pid(), 9);
    assertThat(s.demo().waitFor(5, TimeUnit.SECONDS)).isTrue();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (s.children().stream().anyMatch(Demo::alive) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(s.children()).noneMatch(Demo::alive);
  }

  /** The one temp dir of the run whose demo has {@code pid}. */
  Path tempDirOf(String workload, long pid) throws Exception {
    try (Stream<Path> entries = Files.list(tmp)) {
      List<Path> dirs = entries
          .filter(p -> p.getFileName().toString().startsWith("ipcscope-demo-" + workload + "-" + pid + "-")).toList();
      assertThat(dirs).as("temp dir of demo %s (pid %d) in %s", workload, pid, tmp).hasSize(1);
      return dirs.get(0);
    }
  }

  /** Another process to stop with the demos at the end. */
  void stopAtEnd(Process p) {
    started.add(p);
  }

  /** SIGTERM to every demo started (a running demo removes its own objects), then a cleanup of what is left. */
  void stopAll() throws Exception {
    for (Process p : started) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    Cleanup.run(tmp, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
  }
}
