package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.PIPE;
import static io.ipcscope.tui.Frames.QUEUE;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.edge;
import static io.ipcscope.tui.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Map view as a user reads it, rendered into Lanterna's virtual terminal like {@link TopRendererTest}. */
class MapViewTest {

  private static final String HEADER = "ipcscope top  Talk Channels Processes Signals Map Events  replay ipc.json";
  private static final String HOST_STATUS =
      "0 ev/s  lost 0  spans off                                           sort bytes/s";
  private static final String FOOTER = "q quit  Tab view  Enter detail  / filter  s sort  m mech  p pause  ? help";

  /** The screen: {@code top} under the header, blank lines, then {@code status} and the footer. */
  private static List<String> screen(List<String> top, int rows, String status) {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    lines.addAll(top);
    while (lines.size() < rows - 2) {
      lines.add("");
    }
    lines.add(status);
    lines.add(FOOTER);
    return lines;
  }

  private static TopModel host() {
    TopModel model = HostFrames.model();
    model.showView(TopModel.View.MAP);
    return model;
  }

  @Test
  void theSharedFixtureIsTwoPairsOnTheDiagonal() throws IOException {
    TopModel model = new TopModel();
    model.update(frame(SECOND, 100, edge(PIPE, 0, 0, 0), edge(QUEUE, 2, 100, SECOND)));
    model.update(frame(2 * SECOND, 1300, edge(PIPE, 10, 1000, 2 * SECOND), edge(QUEUE, 4, 300, SECOND)));
    model.showView(TopModel.View.MAP);
    assertThat(TopRendererTest.screenText(model, 80, 24)).containsExactlyElementsOf(screen(List.of(
        "from ↓ to →          1  2  3  4",
        " 1 head[12]         ╲  █p",
        " 2 cat[13]             ╲",
        " 3 mqsend[20]             ╲  █Q",
        " 4 mqrecv[21]                ╲",
        "·░▒▓█ idle→busy  p pipe  Q sysv_mq"),
        24, "1.2k ev/s  lost 3  spans off                                        sort bytes/s"));
  }

  @Test
  void atEightyByTwentyFourTheServicesShowAsBlocksAndTheRestIsOneRowAndColumn() throws IOException {
    assertThat(TopRendererTest.screenText(host(), 80, 24)).containsExactlyElementsOf(screen(List.of(
        "from ↓ to →          1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17  +",
        " 1 postgres[301]    ╲  █e █e    ·M    █t",
        " 2 postgres[302]    █e ╲     ▓e ·M          █t",
        " 3 postgres[303]    █e    ╲     ·M             ▓t",
        " 4 postgres[304]       ▓e    ╲  ·M                ▒t",
        " 5 postgres[300]    ·M ·M ·M ·M ╲  ▓s+                                 ▒p",
        " 6 postgres[305]                ·M ╲",
        " 7 php-fpm[201]     ▓t                ╲  ░p          █u             ▒t",
        " 8 php-fpm[200]                          ╲                             ░p",
        " 9 php-fpm[202]        ▒t                ░p ╲              ▓u       ▒t",
        "10 php-fpm[203]           ▒t             ░p    ╲              ▓u       ▒q",
        "11 php-fpm[204]              ░t          ░p       ╲              ▒u",
        "12 nginx[101]                         ▓u             ╲",
        "13 nginx[100]                                        ·s ╲  ·s ·s ·s    ░p+",
        "14 nginx[102]                               ▓u             ╲",
        "15 nginx[103]                                  ▒u             ╲",
        "16 nginx[104]                                     ░u             ╲",
        "17 redis-serv…[400]                   ▓t    ▓t                      ╲",
        " +8 more, / filter                                      ·s             ▒p+",
        "·░▒▓█ idle→busy  p pipe  s signal  q posix_mq  M sysv_shm  e sem  u unix  t tcp",
        "l flock"),
        24, HOST_STATUS));
  }

  @Test
  void aLargerTerminalShowsTheWholeHost() throws IOException {
    assertThat(TopRendererTest.screenText(host(), 110, 40)).containsExactlyElementsOf(screen(List.of(
        "from ↓ to →              1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25",
        " 1 postgres[301]        ╲  █e █e    ·M    █t",
        " 2 postgres[302]        █e ╲     ▓e ·M          █t",
        " 3 postgres[303]        █e    ╲     ·M             ▓t",
        " 4 postgres[304]           ▓e    ╲  ·M                ▒t",
        " 5 postgres[300]        ·M ·M ·M ·M ╲  ▓s+                                    ▒p",
        " 6 postgres[305]                    ·M ╲",
        " 7 php-fpm[201]         ▓t                ╲  ░p          █u             ▒t",
        " 8 php-fpm[200]                              ╲                                ░p",
        " 9 php-fpm[202]            ▒t                ░p ╲              ▓u       ▒t",
        "10 php-fpm[203]               ▒t             ░p    ╲              ▓u       ▒q",
        "11 php-fpm[204]                  ░t          ░p       ╲              ▒u",
        "12 nginx[101]                             ▓u             ╲",
        "13 nginx[100]                                            ·s ╲  ·s ·s ·s       ░p+",
        "14 nginx[102]                                   ▓u             ╲",
        "15 nginx[103]                                      ▒u             ╲",
        "16 nginx[104]                                         ░u             ╲",
        "17 redis-server[400]                      ▓t    ▓t                      ╲",
        "18 mailq[800]                                                              ╲",
        "19 systemd-journal[500]                                                       ╲",
        "20 systemd[1]                                                                 ░u ╲",
        "21 logrotate[601]                                           ·s                      ╲  ·s ·l",
        "22 cron[600]                                                                           ╲",
        "23 backup.sh[602]                                                                   ·l ·s ╲",
        "24 sshd[700]                                                                                 ╲  ░p",
        "25 bash[701]                                                                                 ▒p ╲",
        "·░▒▓█ idle→busy  p pipe  s signal  q posix_mq  M sysv_shm  e sem  u unix  t tcp  l flock"),
        40, "0 ev/s  lost 0  spans off" + " ".repeat(73) + "sort bytes/s"));
  }

  @Test
  void endScrollsUntilTheLastProcessIsShownAndThoseBeforeAreMerged() throws IOException {
    TopModel model = host();
    int page = TopRenderer.page(model, new TerminalSize(80, 24));
    assertThat(page).as("processes on screen, not table rows").isEqualTo(17);
    assertThat(model.rows()).hasSize(25).hasOnlyElementsOfType(TalkMatrix.Node.class);
    TopKeys.apply(model, new KeyStroke(KeyType.End), page);
    assertThat(model.scroll()).isEqualTo(8);
    assertThat(TopRendererTest.screenText(model, 80, 24)).containsExactlyElementsOf(screen(List.of(
        "from ↓ to →          9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25  +",
        " 9 php-fpm[202]     ╲              ▓u       ▒t                         ▒t+",
        "10 php-fpm[203]        ╲              ▓u       ▒q                      ▒t+",
        "11 php-fpm[204]           ╲              ▒u                            ░p+",
        "12 nginx[101]                ╲                                         ▓u",
        "13 nginx[100]                ·s ╲  ·s ·s ·s       ░p+",
        "14 nginx[102]       ▓u             ╲",
        "15 nginx[103]          ▒u             ╲",
        "16 nginx[104]             ░u             ╲",
        "17 redis-serv…[400] ▓t                      ╲                          ▓t",
        "18 mailq[800]                                  ╲",
        "19 systemd-jo…[500]                               ╲",
        "20 systemd[1]                                     ░u ╲",
        "21 logrotate[601]               ·s                      ╲  ·s ·l",
        "22 cron[600]                                               ╲",
        "23 backup.sh[602]                                       ·l ·s ╲",
        "24 sshd[700]                                                     ╲  ░p",
        "25 bash[701]                                                     ▒p ╲",
        " +8 more, / filter  █t ▓t ▒t █u             ▒t    ▒p                   █e+",
        "·░▒▓█ idle→busy  p pipe  s signal  q posix_mq  M sysv_shm  e sem  u unix  t tcp",
        "l flock"),
        24, HOST_STATUS));
    TopKeys.apply(model, new KeyStroke(KeyType.ArrowUp), page);
    assertThat(TopRendererTest.screenText(model, 80, 24).get(2)).startsWith(" 8 php-fpm[200]");
  }

  @Test
  void theFilterKeepsTheEdgesItMatchesAndTheirProcesses() throws IOException {
    TopModel model = host();
    model.setFilter("postgres");
    assertThat(TopRendererTest.screenText(model, 80, 24)).containsExactlyElementsOf(screen(List.of(
        "from ↓ to →          1  2  3  4  5  6  7  8  9 10 11",
        " 1 postgres[301]    ╲  █e █e    ·M    █t",
        " 2 postgres[302]    █e ╲     ▓e ·M       █t",
        " 3 postgres[303]    █e    ╲     ·M          ▓t",
        " 4 postgres[304]       ▓e    ╲  ·M             ▒t",
        " 5 postgres[300]    ·M ·M ·M ·M ╲  ▓s+            ▒p",
        " 6 postgres[305]                ·M ╲",
        " 7 php-fpm[201]     ▓t                ╲",
        " 8 php-fpm[202]        ▒t                ╲",
        " 9 php-fpm[203]           ▒t                ╲",
        "10 php-fpm[204]              ░t                ╲",
        "11 systemd-jo…[500]                               ╲",
        "·░▒▓█ idle→busy  p pipe  s signal  M sysv_shm  e sem  t tcp"),
        24, "0 ev/s  lost 0  spans off                          sort bytes/s  filter postgres"));
    model.setFilter("nothing");
    assertThat(TopRendererTest.screenText(model, 80, 24).subList(1, 4))
        .containsExactly("", " nothing matches filter 'nothing'", "");
  }
}
