package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.KERNEL;
import static io.ipcscope.tui.Frames.NGINX;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.SUPERVISOR;
import static io.ipcscope.tui.Frames.flow;
import static io.ipcscope.tui.Frames.signalFrame;
import static io.ipcscope.tui.TopRendererTest.screenText;
import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.talk.SignalFlow;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Signals view rendered into Lanterna's virtual terminal, compared line by line with what a user reads. */
class SignalTableTest {

  private final TopModel model = new TopModel();

  /** One second apart: SIGHUP and SIGALRM keep coming, a SIGCHLD was ignored, SIGTERM and SIGRTMIN+3 are new. */
  private void twoFrames() {
    model.showView(TopModel.View.SIGNALS);
    model.update(signalFrame(SECOND, 100, flow(SUPERVISOR, NGINX, 1, 2, 2, 0, SECOND),
        flow(KERNEL, NGINX, 14, 10, 10, 0, SECOND), flow(NGINX, SUPERVISOR, 17, 1, 0, 1, SECOND / 2)));
    model.update(signalFrame(2 * SECOND, 1300, flow(SUPERVISOR, NGINX, 1, 4, 4, 0, 2 * SECOND),
        flow(KERNEL, NGINX, 14, 1510, 1510, 0, 2 * SECOND), flow(NGINX, SUPERVISOR, 17, 1, 0, 1, SECOND / 2),
        flow(SUPERVISOR, NGINX, 15, 1, 0, 0, 2 * SECOND),
        new SignalFlow(SUPERVISOR, NGINX, 37, 40, 38, 0, 0, 0, 2, 38, 0, 2 * SECOND, 38, 38 * 1_200_000, 9_500_000)));
  }

  @Test
  void signalsViewFitsEightyByTwentyFour() throws IOException {
    twoFrames();
    List<String> expected = new ArrayList<>(List.of(
        "ipcscope top  Talk Channels Processes Signals Map Events  replay ipc.json",
        "SENDER         TARGET       SIGNAL      SENT/S  SENT DELIVERED   LAT   MAX LAST",
        "[kernel]     → nginx[31]    SIGALRM       1.5k  1.5k      1.5k  25µs  60µs  now",
        "supervisor[… → nginx[31]    SIGRTMIN+3      40    40        38 1.2ms 9.5ms  now",
        "supervisor[… → nginx[31]    SIGHUP           2     4         4  25µs  60µs  now",
        "supervisor[… → nginx[31]    SIGTERM          1     1         0     -     -  now",
        "nginx[31]    → supervisor[… SIGCHLD          0     1         0     -     -   1s"));
    while (expected.size() < 22) {
      expected.add("");
    }
    expected.add("1.2k ev/s  lost 3  spans off                                        sort bytes/s");
    expected.add("q quit  Tab view  Enter detail  / filter  s sort  m mech  p pause  ? help");
    assertThat(screenText(model, 80, 24)).containsExactlyElementsOf(expected);
  }

  @Test
  void wideTerminalsSayWhatBecameOfSignalsNotQueued() throws IOException {
    twoFrames();
    assertThat(screenText(model, 120, 10).subList(1, 8)).containsExactly(
        "SENDER                TARGET              SIGNAL      SENT/S  SENT DELIVERED OUTCOME                      LAT   MAX LAST",
        "[kernel]            → nginx[31]           SIGALRM       1.5k  1.5k      1.5k                             25µs  60µs  now",
        "supervisor[30]      → nginx[31]           SIGRTMIN+3      40    40        38 2 failed                   1.2ms 9.5ms  now",
        "supervisor[30]      → nginx[31]           SIGHUP           2     4         4                             25µs  60µs  now",
        "supervisor[30]      → nginx[31]           SIGTERM          1     1         0                                -     -  now",
        "nginx[31]           → supervisor[30]      SIGCHLD          0     1         0 1 ignored                      -     -   1s",
        "");
  }

  @Test
  void withoutSignalsItSaysSo() throws IOException {
    model.showView(TopModel.View.SIGNALS);
    model.update(signalFrame(SECOND, 0));
    assertThat(screenText(model, 80, 24).subList(1, 3)).containsExactly(
        "SENDER         TARGET       SIGNAL      SENT/S  SENT DELIVERED   LAT   MAX LAST",
        " no signals seen yet");
  }
}
