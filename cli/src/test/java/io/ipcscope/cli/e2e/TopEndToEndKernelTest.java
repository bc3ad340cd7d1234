package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.KernelTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ipcscope top --demo} in a real terminal (tmux): the demo's edges appear with their processes and
 * mechanisms, keys switch views and filter, and {@code q} ends it, the demo with it.
 */
@ExtendWith(KernelTestSupport.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TopEndToEndKernelTest {

  private TmuxSession tmux;

  @AfterEach
  void killSession() {
    if (tmux != null) {
      tmux.close();
    }
  }

  /** top in a 120-column terminal; each screen read is a tmux client top itself traces, so they come 500 ms apart. */
  private void startTop(String arguments, int rows) {
    String command = String.join(" ", CliProcess.javaCommand("io.ipcscope.cli.Ipcscope")) + " top " + arguments;
    tmux = TmuxSession.start(command, 120, rows, Duration.ofSeconds(60), Duration.ofMillis(500));
  }

  /** Types a filter over the one in force: "/", Ctrl-U, the text, Enter (empty text clears the filter). */
  private void filter(String text) {
    tmux.keys("/");
    tmux.keys("C-u");
    if (!text.isEmpty()) {
      tmux.type(text);
    }
    tmux.keys("Enter");
  }

  /**
   * A process's whole command line from /proc: {@code ProcessHandle.Info.commandLine()} gives up on command lines as
   * long as a test class path makes them, and would find nothing.
   */
  private static String commandLine(ProcessHandle p) {
    try {
      byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/" + p.pid() + "/cmdline"));
      return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException gone) {
      return "";
    }
  }


  /** The top process itself (not tmux's shell): the JVM whose command line is ours. */
  private static ProcessHandle topProcess() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      var top = ProcessHandle.allProcesses()
          .filter(p -> p.info().command().orElse("").endsWith("/java")) // not tmux's shell that started it
          .filter(p -> commandLine(p).contains("io.ipcscope.cli.Ipcscope top --demo")).findFirst();
      if (top.isPresent()) {
        return top.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no ipcscope top process");
  }

  /** The BPF programs and links a process holds, by kernel id, from its descriptors' fdinfo. */
  private static java.util.Set<String> bpfObjectsOf(long pid) throws IOException {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/fdinfo"))) {
      for (java.nio.file.Path fd : fds.toList()) {
        try {
          for (String line : java.nio.file.Files.readAllLines(fd)) {
            if (line.startsWith("prog_id:") || line.startsWith("link_id:")) {
              ids.add(line.replaceAll("\\s+", " ").trim());
            }
          }
        } catch (IOException closedMeanwhile) {
          // a descriptor closed while we read: not a BPF object we need
        }
      }
    }
    return ids;
  }

  /** The BPF programs and links loaded in the kernel now, as "prog_id: N" and "link_id: N". */
  private static java.util.Set<String> loadedBpfObjects() throws Exception {
    java.util.Set<String> ids = new java.util.TreeSet<>();
    for (String kind : List.of("prog", "link")) {
      Process p = new ProcessBuilder("bpftool", kind, "show").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      java.util.regex.Matcher m = Pattern.compile("(?m)^(\\d+): ").matcher(out);
      while (m.find()) {
        ids.add(kind + "_id: " + m.group(1));
      }
    }
    return ids;
  }

  @Test
  void theDemosEdgesShowAndKeysWorkAndQuitLeavesNothingBehind() throws Exception {
    startTop("--demo", 40);
    // The demo runs: its busy System V queues show among ~40 edges at 20 messages a second
    tmux.await(s -> s.contains("sysv_mq"), "the demo's System V queue");
    // head | cat ran once at the start: quiet, it sorts low, so the filter finds it
    filter("head");
    Pattern headToCat = Pattern.compile("(head\\[\\d+\\])\\s*(→|->)\\s*cat\\[\\d+\\].*pipe");
    java.util.regex.Matcher pipe = headToCat.matcher(tmux.await(s -> s.contains("filter head")
        && headToCat.matcher(s).find(), "the demo's head -> cat pipe"));
    assertThat(pipe.find()).isTrue();
    String head = pipe.group(1); // head[PID]: filtering on it leaves the demo's pipe alone, whatever else runs
    ProcessHandle top = topProcess();
    java.util.Set<String> topsBpf = bpfObjectsOf(top.pid());
    assertThat(topsBpf).as("top holds its probes").anyMatch(id -> id.startsWith("prog_id:"))
        .anyMatch(id -> id.startsWith("link_id:"));

    tmux.keys("Tab"); // the channels view: each channel's ends by role
    Pattern channel = Pattern.compile("pipe:\\[\\d+\\]\\s+pipe\\s+writer head\\[\\d+\\], reader cat\\[\\d+\\]");
    tmux.await(s -> s.contains("ENDPOINTS") && channel.matcher(s).find(), "the channels view with head's pipe");
    filter(head);
    // One condition, checked on one capture: tmux can capture a screen halfway through a redraw.
    tmux.await(s -> s.contains("filter " + head) && !s.contains("sysv_mq") && !s.contains("posix_mq")
        && channel.matcher(s).find(), "only the demo's head's channel, after the filter");
    filter("");
    tmux.await(s -> s.contains("ENDPOINTS") && s.contains("sysv_mq") && !s.contains("filter head"),
        "every channel again once the filter is emptied");
    filter(head);
    tmux.await(s -> s.contains("filter " + head) && channel.matcher(s).find(), "head's channel alone again");

    // Enter on the selected channel (head's pipe): its detail, with the latency of what cat read and cat's reads
    tmux.keys("Enter");
    Pattern catRead = Pattern.compile("cat\\[\\d+\\]\\s+read\\s+pipe:\\[\\d+\\]\\s+\\d+\\S*\\s+← head\\[\\d+\\]");
    String detail = tmux.await(s -> s.contains("Esc back") && s.contains("LAST OPERATIONS") && catRead.matcher(s)
        .find() && Pattern.compile("LATENCY [1-9]\\d* consumed from it").matcher(s).find(),
        "the pipe's detail: cat's reads from head and their latency");
    assertThat(detail).contains("ends writer head[").contains("TRACES none: top alone makes no spans");
    tmux.keys("Escape");
    tmux.await(s -> s.contains("ENDPOINTS"), "the channels view again after Esc");

    // The Events view (6), narrowed by m to signals: only the demo's signal deliveries and sends
    filter(""); // Ctrl-U empties the filter being typed, and an empty filter clears it
    tmux.keys("6");
    tmux.await(s -> s.contains("TIME") && s.contains("PEER") && Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ").matcher(s)
        .find(), "the Events view with timed operations");
    for (int i = 0; i < 5; i++) {
      tmux.keys("m"); // pipes, queues, shm, sem+locks, signals
    }
    String signals = tmux.await(s -> s.contains("mech signals") && Pattern.compile("(deliver|send|generate)\\s+SIG[A-Z0-9+]+")
        .matcher(s).find(), "only signal operations");
    assertThat(signals).doesNotContain("pipe:[").doesNotContain("socket:[");

    // Its own demo, and every process that demo started (another demo on this host is not ours to judge)
    List<ProcessHandle> demos = top.descendants().filter(p -> commandLine(p).contains("io.ipcscope.cli.Ipcscope demo"))
        .toList();
    assertThat(demos).as("the demo runs while top does").isNotEmpty();
    List<ProcessHandle> ours = new ArrayList<>(demos);
    demos.forEach(d -> d.descendants().forEach(ours::add));
    tmux.keys("q");
    assertThat(tmux.awaitEnd(Duration.ofSeconds(20))).as("top ended on q").isTrue();
    long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (ours.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < gone) {
      Thread.sleep(200);
    }
    assertThat(ours.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList())
        .as("no process of top's demo left").isEmpty();
    java.util.Set<String> stillLoaded = loadedBpfObjects();
    stillLoaded.retainAll(topsBpf);
    assertThat(stillLoaded).as("none of top's BPF programs or links is still in the kernel").isEmpty();
    // The demo's own cleanup finds every kind of object the workloads make (queues, shared memory, semaphores,
    // FIFOs, sockets): after a clean quit there is nothing of top's demo for it to remove.
    List<String> cleanupCommand = new ArrayList<>(CliProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
    cleanupCommand.addAll(List.of("demo", "--cleanup"));
    Process cleanupRun = new ProcessBuilder(cleanupCommand).redirectErrorStream(true).start();
    List<String> cleanup = new String(cleanupRun.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
        .toList();
    assertThat(cleanupRun.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(cleanup).as("demo --cleanup after top quit").anyMatch(l -> l.startsWith("cleanup: nothing left over"));
  }

  @Test
  void attachedToARunningCollectorItShowsWhatTheCollectorSees(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path socket = dir.resolve("collector.sock");
    try (CollectorProcess collect = CollectorProcess.start(dir, java.util.Map.of(), "--exporter", "none", "--socket",
        socket.toString())) {
      startTop("--connect " + socket, 30);
      tmux.await(s -> s.contains("collector on"), "the collector as the source");
      Process p = new ProcessBuilder("sh", "-c", "head -c 3000 /dev/zero | cat >/dev/null").start();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      Pattern headToCat = Pattern.compile("head\\[\\d+\\]\\s*(→|->)\\s*cat\\[\\d+\\]\\s+pipe\\s+pipe:\\[\\d+\\].*2\\.9K");
      tmux.await(s -> headToCat.matcher(s).find(), "head's 3000 bytes to cat, as the collector counted them");
      tmux.keys("q");
    }
  }
}
