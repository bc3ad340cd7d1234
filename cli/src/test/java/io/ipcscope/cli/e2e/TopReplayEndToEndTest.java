package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

  private static final Path RECORDING = Path.of("../collector/src/test/resources/recordings/demo-pipe.bin");
  private static final Pattern HEAD_TO_CAT = Pattern.compile("head\\[18211\\]\\s*(→|->)\\s*cat\\[18213\\]\\s+pipe");

  private TmuxSession tmux;

  @AfterEach
  void killSession() {
    if (tmux != null) {
      tmux.close();
    }
  }

  private static String header(String screen) {
    return screen.lines().findFirst().orElse("");
  }

  @Test
  void pauseHoldsThePlaceAndSeeksGoToTheEndAndBackToTheStart() throws Exception {
    String command = String.join(" ", CliProcess.javaCommand("io.ipcscope.cli.Ipcscope")) + " top --replay "
        + RECORDING.toAbsolutePath() + " --speed 0.125 --refresh 100";
    tmux = TmuxSession.start(command, 120, 30, Duration.ofSeconds(30), Duration.ofMillis(100));
    tmux.await(s -> header(s).matches(".*00:02\\.\\d / 00:03\\.4 x0\\.125\\s*"), "the replay playing, its length");

    tmux.keys("p");
    String paused = tmux.await(s -> header(s).contains(" x0.125 PAUSED"), "the replay paused");
    Matcher at = Pattern.compile("(\\d\\d:\\d\\d\\.\\d) / 00:03\\.4 x0\\.125 PAUSED").matcher(header(paused));
    assertThat(at.find()).isTrue();
    Thread.sleep(1_500);
    assertThat(header(tmux.screen())).as("the clock held").contains(at.group());

    tmux.keys("}");
    tmux.await(s -> header(s).contains("00:03.4 / 00:03.4 x0.125 ended") && HEAD_TO_CAT.matcher(s).find(),
        "the end of the recording, head's pipe to cat in it");

    tmux.keys("{");
    tmux.await(s -> header(s).contains("00:02.2 / 00:03.4 x0.125 PAUSED") && !HEAD_TO_CAT.matcher(s).find(),
        "the first tick again, still paused, before head wrote");

    tmux.keys("+");
    tmux.await(s -> header(s).contains("00:02.2 / 00:03.4 x0.25 PAUSED"), "twice the speed");

    tmux.keys("q");
    assertThat(tmux.awaitEnd(Duration.ofSeconds(20))).as("top ended on q").isTrue();
  }
}
