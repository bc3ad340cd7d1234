package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.PIPE;
import static io.ipcscope.tui.Frames.QUEUE;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.edge;
import static io.ipcscope.tui.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Renders into Lanterna's virtual terminal and compares what a user would read, line by line. */
class TopRendererTest {

  private final TopModel model = new TopModel();

  /** head[12] → cat[13] over a pipe, 1000 bytes in all; mqsend[20] → mqrecv[21] over a System V queue. */
  private void twoEdges() {
    model.update(frame(SECOND, 100, edge(PIPE, 0, 0, 0), edge(QUEUE, 2, 100, SECOND)));
    model.update(frame(2 * SECOND, 1300, edge(PIPE, 10, 1000, 2 * SECOND), edge(QUEUE, 4, 300, SECOND)));
  }

  static List<String> screenText(TopModel model, int columns, int rows) throws IOException {
    DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
    Screen screen = new TerminalScreen(terminal);
    screen.startScreen();
    try {
      TopRenderer.render(screen, model, "replay ipc.json");
      screen.refresh(Screen.RefreshType.COMPLETE);
      List<String> lines = new ArrayList<>();
      for (int r = 0; r < rows; r++) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < columns; c++) {
          line.append(terminal.getCharacter(c, r).getCharacterString());
        }
        lines.add(line.toString().stripTrailing());
      }
      return lines;
    } finally {
      screen.stopScreen();
    }
  }

  private static final String HEADER =
      "ipcscope top  Talk Channels Processes Signals Map Events  replay ipc.json";
  private static final String STATUS =
      "1.2k ev/s  lost 3  spans off                                        sort bytes/s";
  private static final String FOOTER =
      "q quit  Tab view  Enter detail  / filter  s sort  m mech  p pause  ? help";

  @Test
  void talkViewFitsEightyByTwentyFour() throws IOException {
    twoEdges();
    List<String> expected = new ArrayList<>(List.of(HEADER,
        "FROM         TO         MECH      CHANNEL         MSG/S BYTES/S TOTAL   LAT LAST",
        "head[12]   → cat[13]    pipe      pipe:[4242]        10    1000  1000  15µs  now",
        "mqsend[20] → mqrecv[21] sysv_mq   sysv_mq:[3]         2     200   300  15µs   1s"));
    while (expected.size() < 22) {
      expected.add("");
    }
    expected.add(STATUS);
    expected.add(FOOTER);
    assertThat(screenText(model, 80, 24)).containsExactlyElementsOf(expected);
  }

  @Test
  void channelsViewNamesEachEndByRole() throws IOException {
    twoEdges();
    model.nextView();
    assertThat(screenText(model, 80, 24).subList(0, 5)).containsExactly(HEADER,
        "CHANNEL         MECH      ENDPOINTS                       BYTES/S  TOTAL BACKLOG",
        "pipe:[4242]     pipe      writer head[12], reader cat[13]    1000   1000     500",
        "sysv_mq:[3]     sysv_mq   sender mqsend[20], receiver mq…     200    300     150",
        "");
  }

  @Test
  void processesViewSumsRatesInAndOutPerMechanism() throws IOException {
    twoEdges();
    model.nextView();
    model.nextView();
    assertThat(screenText(model, 80, 24).subList(1, 7)).containsExactly(
        "    PID COMMAND             IN/S   OUT/S  MSG/S PER MECHANISM IN/OUT PER S",
        "     12 head                   0    1000     10 pipe 0/1.0k",
        "     13 cat                 1000       0     10 pipe 1.0k/0",
        "     20 mqsend                 0     200      2 sysv_mq 0/200",
        "     21 mqrecv               200       0      2 sysv_mq 200/0",
        "");
  }

  @Test
  void wideTerminalsShowTheSparkline() throws IOException {
    twoEdges();
    assertThat(screenText(model, 100, 12).subList(1, 4)).containsExactly(
        "FROM            TO            MECH      CHANNEL            MSG/S BYTES/S TOTAL   LAT            LAST",
        "head[12]      → cat[13]       pipe      pipe:[4242]           10    1000  1000  15µs ▁█          now",
        "mqsend[20]    → mqrecv[21]    sysv_mq   sysv_mq:[3]            2     200   300  15µs ▁█           1s");
  }

  @Test
  void fromOneHundredTwentyColumnsTheFillLevelShows() throws IOException {
    twoEdges();
    // the fixtures' highest fill is half the bytes: the pipe's 1000 left 500 in it, the queue 150
    assertThat(screenText(model, 120, 10).subList(1, 4)).containsExactly(
        "FROM             TO             MECH      CHANNEL              MSG/S BYTES/S TOTAL   LAT  FILL"
            + "                      LAST",
        "head[12]       → cat[13]        pipe      pipe:[4242]             10    1000  1000  15µs   500 ▁█"
            + "                    now",
        "mqsend[20]     → mqrecv[21]     sysv_mq   sysv_mq:[3]              2     200   300  15µs   150 ▁█"
            + "                     1s");
  }

  @Test
  void pausedShowsInTheStatusBarAndHelpIsBoxedOverTheTable() throws IOException {
    twoEdges();
    model.togglePause();
    model.toggleHelp();
    List<String> lines = screenText(model, 80, 24);
    assertThat(lines.get(22)).isEqualTo(
        "1.2k ev/s  lost 3  spans off                                sort bytes/s  PAUSED");
    assertThat(lines.subList(3, 7)).containsExactly(
        "mqsend[2## keys ########################################################5µs   1s",
        "        # q, Esc       quit                                            #",
        "        # Tab, Right   next view: Talk, Channels, Processes,           #",
        "        #              Signals, Map, Events; 1-6 go to one             #");
    assertThat(lines.get(19)).isEqualTo(
        "        ################################################################");
  }

  @Test
  void footerShowsTheFilterBeingTypedAndTheOneInForce() throws IOException {
    twoEdges();
    model.startFilterEdit();
    "cat".chars().forEach(c -> model.typeFilter((char) c));
    assertThat(screenText(model, 80, 24).get(23))
        .isEqualTo("filter: cat_                                             Enter apply  Esc cancel");
    model.applyFilter();
    List<String> lines = screenText(model, 80, 24);
    assertThat(lines.subList(22, 24)).containsExactly(
        "1.2k ev/s  lost 3  spans off                            sort bytes/s  filter cat", FOOTER);
    assertThat(lines.subList(2, 4)).containsExactly(
        "head[12]   → cat[13]    pipe      pipe:[4242]        10    1000  1000  15µs  now", "");
  }

  @Test
  void beforeTheFirstFrameItSaysItIsWaiting() throws IOException {
    assertThat(screenText(new TopModel(), 60, 10)).containsExactly(
        "ipcscope top  Talk 1/6  replay ipc.json",
        "FROM       TO       MECH      MSG/S BYTES/S TOTAL   LAT LAST",
        " waiting for the first frame...", "", "", "", "", "",
        "0 ev/s  lost 0  spans off                       sort bytes/s",
        "q quit  Tab view  Enter detail  / filter  s sort  m mech  p…");
  }

  @Test
  void onANarrowTerminalTheHeaderKeepsTheSourceAndOnlyTheCurrentView() throws IOException {
    twoEdges();
    model.togglePause();
    model.nextView();
    List<String> lines = screenText(model, 60, 10);
    assertThat(lines.get(0)).isEqualTo("ipcscope top  Channels 2/6  replay ipc.json");
    assertThat(lines.get(8)).isEqualTo("1.2k ev/s  lost 3  spans off            sort bytes/s  PAUSED");
  }

  @Test
  void belowSixtyByTenItOnlySaysSo() throws IOException {
    twoEdges();
    assertThat(screenText(model, 50, 8)).containsExactly("ipcscope top needs at least 60x10; this terminal",
        "is 50x8", "", "", "", "", "", "");
  }

  @Test
  void redrawsForTheNewSizeAfterAResize() throws IOException {
    twoEdges();
    DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(50, 8));
    Screen screen = new TerminalScreen(terminal);
    screen.startScreen();
    try {
      TopRenderer.render(screen, model, "replay ipc.json");
      screen.refresh();
      terminal.setTerminalSize(new TerminalSize(80, 24));
      assertThat(screen.doResizeIfNecessary()).isEqualTo(new TerminalSize(80, 24));
      TopRenderer.render(screen, model, "replay ipc.json");
      screen.refresh(Screen.RefreshType.DELTA);
      StringBuilder top = new StringBuilder();
      for (int c = 0; c < 80; c++) {
        top.append(terminal.getCharacter(c, 0).getCharacterString());
      }
      assertThat(top.toString().stripTrailing()).isEqualTo(HEADER);
    } finally {
      screen.stopScreen();
    }
  }
}
