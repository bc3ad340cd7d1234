package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.PIPE;
import static io.ipcscope.tui.Frames.QUEUE;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.edge;
import static io.ipcscope.tui.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MapLayoutTest {

  private final TalkMatrix host = HostFrames.model().talkMatrix();

  private static MapLayout layout(TalkMatrix m, int w, int h, int scroll) {
    return MapLayout.of(m, w, h, scroll, TopRenderer::mechanismName);
  }

  @Test
  void atEightyByTwentyFourEighteenProcessesFitAndTheOtherSevenAreMergedIntoTheLastRowAndColumn() {
    MapLayout l = layout(host, 80, 24, 0);
    assertThat(l.labelWidth()).isEqualTo(20);
    assertThat(l.first()).isZero();
    assertThat(l.shown()).hasSize(18);
    assertThat(l.hidden()).isEqualTo(7);
    assertThat(l.size()).isEqualTo(19);
    assertThat(l.label(0)).isEqualTo(" 1 postgres[301]");
    assertThat(l.label(16)).isEqualTo("17 redis-serv…[400]");
    assertThat(l.label(18)).isEqualTo(" +7 more, / filter");
    assertThat(List.of(l.heading(0), l.heading(17), l.heading(18))).containsExactly(" 1 ", "18 ", " + ");
    assertThat(List.of(l.cellText(0, 0), l.cellText(6, 0), l.cellText(0, 6), l.cellText(4, 5), l.cellText(6, 7),
        l.cellText(7, 6), l.cellText(18, 18)))
        .containsExactly("╲  ", "▓t ", "█t ", "▓s+", "░p ", "   ", "▒p+");
    // journald is merged: what the services log to it shows in the last column
    assertThat(List.of(l.cellText(7, 18), l.cellText(4, 18), l.cellText(12, 18))).containsExactly("░p ", "▒p ",
        "░p+");
    assertThat(l.legend()).extracting(MapLayout::text).containsExactly(
        "·░▒▓█ idle→busy  p pipe  s signal  q posix_mq  M sysv_shm  e sem  u unix  t tcp", "l flock");
  }

  @Test
  void scrollingMovesTheWindowAlongBothAxesAndStopsWhenTheLastProcessIsShown() {
    MapLayout end = layout(host, 80, 24, 100);
    assertThat(end.first()).isEqualTo(7);
    assertThat(end.label(0)).isEqualTo(" 8 php-fpm[200]");
    assertThat(end.heading(0)).isEqualTo(" 8 ");
    // php-fpm[202]'s queries to postgres[302], scrolled away
    assertThat(end.cellText(1, 18)).isEqualTo("▒t ");
    assertThat(layout(host, 80, 24, -3).first()).isZero();
  }

  @Test
  void aLargerTerminalShowsEveryProcessAndTheLegendOnOneLine() {
    MapLayout l = layout(host, 120, 40, 5);
    assertThat(l.labelWidth()).isEqualTo(24);
    assertThat(l.first()).as("nothing to scroll").isZero();
    assertThat(l.shown()).hasSize(25);
    assertThat(l.hidden()).isZero();
    assertThat(l.size()).isEqualTo(25);
    assertThat(l.legend()).extracting(MapLayout::text).containsExactly(
        "·░▒▓█ idle→busy  p pipe  s signal  q posix_mq  M sysv_shm  e sem  u unix  t tcp  l flock");
  }

  @Test
  void theSmallestTerminalStillShowsAFewProcesses() {
    MapLayout l = layout(host, 60, 10, 0);
    assertThat(l.labelWidth()).isEqualTo(15);
    assertThat(l.legend()).hasSize(2);
    assertThat(l.shown()).hasSize(4);
    assertThat(l.hidden()).isEqualTo(21);
    assertThat(l.label(4)).isEqualTo(" +21 more");
  }

  @Test
  void theTwoEdgesOfTheSharedFixtureAreTwoPairsOnTheDiagonal() {
    TopModel model = new TopModel();
    model.update(frame(SECOND, 100, edge(PIPE, 0, 0, 0), edge(QUEUE, 2, 100, SECOND)));
    model.update(frame(2 * SECOND, 1300, edge(PIPE, 10, 1000, 2 * SECOND), edge(QUEUE, 4, 300, SECOND)));
    assertThat(layout(model.talkMatrix(), 80, 24, 0).lines()).containsExactly(
        "from ↓ to →          1  2  3  4",
        " 1 head[12]         ╲  █p",
        " 2 cat[13]             ╲",
        " 3 mqsend[20]             ╲  █Q",
        " 4 mqrecv[21]                ╲",
        "·░▒▓█ idle→busy  p pipe  Q sysv_mq");
  }

  @Test
  void namesAreCutInTheCommandSoThePidStays() {
    assertThat(MapLayout.fitName("redis-server[400]", 16)).isEqualTo("redis-serv…[400]");
    assertThat(MapLayout.fitName("redis-server[400]", 17)).isEqualTo("redis-server[400]");
    assertThat(MapLayout.fitName("redis-server[400]", 6)).isEqualTo("redis…");
    assertThat(MapLayout.fitName("(not observed)", 10)).isEqualTo("(not obse…");
  }
}
