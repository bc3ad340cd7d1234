package io.ipcscope.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import io.ipcscope.probes.event.Mechanism;
import java.util.List;

/**
 * The Signals view's table: who signals whom with what, how many arrived, how long they took. Column widths follow
 * the terminal's width.
 */
final class SignalTable {

  private static final int SIGNAL = 11; // SIGRTMIN+15
  private static final int RATE = 6;
  private static final int SENT = 5;
  private static final int DELIVERED = 9;
  private static final int LAT = 5;
  private static final int MAX = 5;
  private static final int LAST = 4;

  /** Widths of the flexible columns for one terminal width; 0 drops a column. */
  record Layout(int names, int outcome) {

    static Layout of(int w) {
      int fixed = 1 /* arrow */ + SIGNAL + RATE + SENT + DELIVERED + LAT + MAX + LAST;
      int avail = w - fixed - 9; // separators between SENDER, →, TARGET, SIGNAL, SENT/S, SENT, DELIVERED, LAT, MAX, LAST
      int names = Math.min(22, Math.max(10, avail * 3 / 10));
      int outcome = avail - 2 * names - 1;
      if (outcome < 12) {
        // At 80 columns the names matter more than why a few signals were not queued.
        return new Layout(avail / 2, 0);
      }
      return new Layout(names, outcome);
    }
  }

  private SignalTable() {}

  static void draw(TextGraphics g, List<SignalRow> rows, int w, int first, int last) {
    Layout l = Layout.of(w);
    g.enableModifiers(SGR.BOLD);
    new Cells(g, first - 1, TextColor.ANSI.DEFAULT).left("SENDER", l.names()).left("", 1).left("TARGET", l.names())
        .left("SIGNAL", SIGNAL).right("SENT/S", RATE).right("SENT", SENT).right("DELIVERED", DELIVERED)
        .left("OUTCOME", l.outcome()).right("LAT", LAT).right("MAX", MAX).right("LAST", LAST);
    g.disableModifiers(SGR.BOLD);
    int row = first;
    for (SignalRow r : rows) {
      if (row > last) {
        break;
      }
      TextColor c = TopRenderer.rowColour(r.fresh(), r.faded());
      Cells.bold(g, r.fresh());
      new Cells(g, row++, c).left(r.from(), l.names()).left("→", 1).left(r.to(), l.names())
          .coloured(r.signal(), SIGNAL, r.faded() ? c : TopRenderer.colour(Mechanism.SIGNAL))
          .right(Units.count(r.sentPerSec()), RATE).right(Units.count(r.sent()), SENT)
          .right(Units.count(r.delivered()), DELIVERED).left(r.outcome(), l.outcome())
          .right(Units.latency(r.latencyMeanNanos()), LAT).right(Units.latency(r.latencyMaxNanos()), MAX)
          .right(Units.ago(r.lastAgoNanos()), LAST);
      Cells.bold(g, false);
    }
  }
}
