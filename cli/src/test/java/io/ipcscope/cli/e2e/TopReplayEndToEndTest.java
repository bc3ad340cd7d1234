package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ipcscope top --replay} of the collector's {@code demo pipe} fixture in a real terminal (tmux), steered like
 * a video: p holds the recorded clock, braces seek to the end and back to the start, plus doubles the speed. Needs
 * no root.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TopReplayEndToEndTest {

  private static final String SESSION = "ipcscope-top-replay-test-" + ProcessHandle.current().pid();
  private static final Path RECORDING = Path.of("../collector/src/test/resources/recordings/demo-pipe.bin");
  private static final Pattern HEAD_TO_CAT = Pattern.compile("head\\[18211\\]\\s*(→|->)\\s*cat\\[18213\\]\\s+pipe");

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

  private static String awaitScreen(Predicate<String> done, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = tmux("capture-pane", "-p", "-t", SESSION);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the screen never showed " + what + ":\n" + last);
  }

  private static String header(String screen) {
    return screen.lines().findFirst().orElse("");
  }

  @Test
  void pauseHoldsThePlaceAndSeeksGoToTheEndAndBackToTheStart() throws Exception {
    String command = String.join(" ", CliProcess.javaCommand("io.ipcscope.cli.Ipcscope")) + " top --replay "
        + RECORDING.toAbsolutePath() + " --speed 0.125 --refresh 100";
    tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "30", command);
    awaitScreen(s -> header(s).matches(".*00:02\\.\\d / 00:03\\.4 x0\\.125\\s*"), "the replay playing, its length");

    tmux("send-keys", "-t", SESSION, "p");
    String paused = awaitScreen(s -> header(s).contains(" x0.125 PAUSED"), "the replay paused");
    Matcher at = Pattern.compile("(\\d\\d:\\d\\d\\.\\d) / 00:03\\.4 x0\\.125 PAUSED").matcher(header(paused));
    assertThat(at.find()).isTrue();
    Thread.sleep(1_500);
    assertThat(header(tmux("capture-pane", "-p", "-t", SESSION))).as("the clock held").contains(at.group());

    tmux("send-keys", "-t", SESSION, "}");
    awaitScreen(s -> header(s).contains("00:03.4 / 00:03.4 x0.125 ended") && HEAD_TO_CAT.matcher(s).find(),
        "the end of the recording, head's pipe to cat in it");

    tmux("send-keys", "-t", SESSION, "{");
    awaitScreen(s -> header(s).contains("00:02.2 / 00:03.4 x0.125 PAUSED") && !HEAD_TO_CAT.matcher(s).find(),
        "the first tick again, still paused, before head wrote");

    tmux("send-keys", "-t", SESSION, "+");
    awaitScreen(s -> header(s).contains("00:02.2 / 00:03.4 x0.25 PAUSED"), "twice the speed");

    tmux("send-keys", "-t", SESSION, "q");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (tmux("has-session", "-t", SESSION).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(tmux("has-session", "-t", SESSION)).as("top ended on q").isNotEmpty();
  }
}
