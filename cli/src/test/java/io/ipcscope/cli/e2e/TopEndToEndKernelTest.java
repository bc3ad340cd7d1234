package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.KernelTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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

  private static final String SESSION = "ipcscope-top-test-" + ProcessHandle.current().pid();

  @AfterEach
  void killSession() throws Exception {
    tmux("kill-session", "-t", SESSION);
  }

  private static String tmux(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("tmux"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private static String screen() throws Exception {
    return tmux("capture-pane", "-p", "-t", SESSION);
  }

  private static String awaitScreen(Predicate<String> done, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = screen();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the screen never showed " + what + ":\n" + last);
  }

  private static List<Long> demoProcesses() {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("io.ipcscope.cli.Ipcscope demo"))
        .map(ProcessHandle::pid).toList();
  }

  @Test
  void theDemosEdgesShowAndKeysWorkAndQuitLeavesNothingBehind() throws Exception {
    String command = String.join(" ", CliProcess.javaCommand("io.ipcscope.cli.Ipcscope")) + " top --demo";
    tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", command);
    Pattern headToCat = Pattern.compile("head\\[\\d+\\]\\s*(→|->)\\s*cat\\[\\d+\\].*pipe");
    awaitScreen(s -> headToCat.matcher(s).find(), "the demo's head -> cat pipe");
    tmux("send-keys", "-t", SESSION, "Tab"); // the channels view: each channel's ends by role
    Pattern channel = Pattern.compile("pipe:\\[\\d+\\]\\s+pipe\\s+writer head\\[\\d+\\], reader cat\\[\\d+\\]");
    awaitScreen(s -> s.contains("ENDPOINTS") && channel.matcher(s).find(), "the channels view with head's pipe to cat");
    awaitScreen(s -> s.contains("sysv_mq"), "the demo's System V queue among the channels");
    tmux("send-keys", "-t", SESSION, "/");
    tmux("send-keys", "-t", SESSION, "-l", "head");
    tmux("send-keys", "-t", SESSION, "Enter");
    String filtered = awaitScreen(s -> !s.contains("sysv_mq") && channel.matcher(s).find(),
        "only the channels of processes named head, after the filter");
    assertThat(filtered).doesNotContain("posix_mq");
    tmux("send-keys", "-t", SESSION, "q");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (tmux("has-session", "-t", SESSION).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(tmux("has-session", "-t", SESSION)).as("top ended on q").isNotEmpty();
    long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!demoProcesses().isEmpty() && System.nanoTime() < gone) {
      Thread.sleep(200);
    }
    assertThat(demoProcesses()).as("no demo process left").isEmpty();
  }

  @Test
  void attachedToARunningCollectorItShowsWhatTheCollectorSees(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path socket = dir.resolve("collector.sock");
    try (CollectorProcess collect = CollectorProcess.start(dir, java.util.Map.of(), "--exporter", "none", "--socket",
        socket.toString())) {
      String command = String.join(" ", CliProcess.javaCommand("io.ipcscope.cli.Ipcscope")) + " top --connect "
          + socket;
      tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "30", command);
      awaitScreen(s -> s.contains("collector on"), "the collector as the source");
      Process p = new ProcessBuilder("sh", "-c", "head -c 3000 /dev/zero | cat >/dev/null").start();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      Pattern headToCat = Pattern.compile("head\\[\\d+\\]\\s*(→|->)\\s*cat\\[\\d+\\]\\s+pipe\\s+pipe:\\[\\d+\\].*2\\.9K");
      awaitScreen(s -> headToCat.matcher(s).find(), "head's 3000 bytes to cat, as the collector counted them");
      tmux("send-keys", "-t", SESSION, "q");
    }
  }
}
