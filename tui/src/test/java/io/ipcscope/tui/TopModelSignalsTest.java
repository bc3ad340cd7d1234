package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.KERNEL;
import static io.ipcscope.tui.Frames.NGINX;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.SUPERVISOR;
import static io.ipcscope.tui.Frames.flow;
import static io.ipcscope.tui.Frames.signalFrame;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The Signals view's rows, from frames of signal flows, with no terminal. */
class TopModelSignalsTest {

  private final TopModel model = new TopModel();

  /**
   * Half a second apart: SIGHUP 2 → 4 sends, the kernel's SIGALRM 10 → 15, an ignored SIGCHLD that stays at 1; new in
   * the second frame, a SIGTERM nobody took and three SIGRTMIN+3.
   */
  private void twoFrames() {
    model.showView(TopModel.View.SIGNALS);
    model.update(signalFrame(SECOND, 0, flow(SUPERVISOR, NGINX, 1, 2, 2, 0, SECOND),
        flow(KERNEL, NGINX, 14, 10, 10, 0, SECOND), flow(NGINX, SUPERVISOR, 17, 1, 0, 1, SECOND / 2)));
    model.update(signalFrame(SECOND + SECOND / 2, 0, flow(SUPERVISOR, NGINX, 1, 4, 4, 0, SECOND + SECOND / 2),
        flow(KERNEL, NGINX, 14, 15, 15, 0, SECOND + SECOND / 2), flow(NGINX, SUPERVISOR, 17, 1, 0, 1, SECOND / 2),
        flow(SUPERVISOR, NGINX, 15, 1, 0, 0, SECOND + SECOND / 2),
        flow(SUPERVISOR, NGINX, 37, 3, 3, 0, SECOND + SECOND / 2)));
  }

  /** "from → to SIGNAL sent/s sent delivered mean/max [outcome] ago", with "fresh" or "faded" when so. */
  private List<String> rows() {
    return model.signalRows().stream().map(r -> r.from() + " → " + r.to() + " " + r.signal() + " " + r.sentPerSec()
        + "/s " + r.sent() + " " + r.delivered() + " " + r.latencyMeanNanos() + "/" + r.latencyMaxNanos()
        + (r.outcome().isEmpty() ? "" : " [" + r.outcome() + "]") + " " + r.lastAgoNanos()
        + (r.fresh() ? " fresh" : "") + (r.faded() ? " faded" : "")).toList();
  }

  @Test
  void rowsNameBothEndsAndTheSignalAndSortBySendsPerSecond() {
    twoFrames();

    assertThat(rows()).containsExactly(
        "[kernel] → nginx[31] SIGALRM 10.0/s 15 15 25000/60000 0",
        "supervisor[30] → nginx[31] SIGRTMIN+3 6.0/s 3 3 25000/60000 0 fresh",
        "supervisor[30] → nginx[31] SIGHUP 4.0/s 4 4 25000/60000 0",
        "supervisor[30] → nginx[31] SIGTERM 2.0/s 1 0 0/0 0 fresh",
        "nginx[31] → supervisor[30] SIGCHLD 0.0/s 1 0 0/0 [1 ignored] 1000000000");
    assertThat(model.rows()).containsExactlyElementsOf(model.signalRows());
  }

  @Test
  void totalSortsBySendsAndTiesKeepANameOrder() {
    twoFrames();
    model.setSort(SortKey.TOTAL_BYTES);

    assertThat(model.signalRows()).extracting(SignalRow::signal)
        .containsExactly("SIGALRM", "SIGHUP", "SIGRTMIN+3", "SIGCHLD", "SIGTERM");
  }

  @Test
  void theFilterMatchesASignalNameAProcessOrAPid() {
    twoFrames();
    model.setFilter("sigchld");
    assertThat(model.signalRows()).extracting(SignalRow::signal).containsExactly("SIGCHLD");
    model.setFilter("kernel");
    assertThat(model.signalRows()).extracting(SignalRow::signal).containsExactly("SIGALRM");
    model.setFilter("[30]");
    assertThat(model.signalRows()).extracting(SignalRow::signal)
        .containsExactly("SIGRTMIN+3", "SIGHUP", "SIGTERM", "SIGCHLD");
    model.setFilter("RTMIN");
    assertThat(model.signalRows()).extracting(SignalRow::signal).containsExactly("SIGRTMIN+3");
  }

  @Test
  void idleFlowsFadeAfterTenSecondsAndRowsAreBuiltOncePerChange() {
    twoFrames();
    model.update(signalFrame(12 * SECOND, 0, flow(NGINX, SUPERVISOR, 17, 1, 0, 1, SECOND / 2),
        flow(SUPERVISOR, NGINX, 15, 1, 0, 0, 3 * SECOND)));

    assertThat(rows()).containsExactly(
        "nginx[31] → supervisor[30] SIGCHLD 0.0/s 1 0 0/0 [1 ignored] 11500000000 faded",
        "supervisor[30] → nginx[31] SIGTERM 0.0/s 1 0 0/0 9000000000");
    assertThat(model.signalRows()).isSameAs(model.signalRows());
  }
}
