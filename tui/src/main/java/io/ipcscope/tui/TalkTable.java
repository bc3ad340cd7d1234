package io.ipcscope.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.List;

/** The Talk view's table: who talks to whom, over what, how much. Column widths follow the terminal's width. */
final class TalkTable {

  private static final int MECH = 9;
  private static final int MSGS = 5;
  private static final int RATE = 7;
  private static final int TOTAL = 5;
  private static final int LAT = 5;
  private static final int LAST = 4;

  /** Widths of the flexible columns for one terminal width; 0 drops a column. */
  record Layout(int names, int channel, int spark, int fill) {

    static Layout of(int w) {
      // At 80 columns the names and channel need the room more than a sparkline of a few samples would use it;
      // the history is kept regardless and shows from 90 columns, back-pressure from 120.
      int spark = w >= 110 ? 20 : w >= 90 ? 10 : 0;
      int fill = w >= 120 ? 5 : 0;
      int fixed = MECH + MSGS + RATE + TOTAL + LAT + LAST + 1 /* arrow */ + (spark > 0 ? spark + 1 : 0)
          + (fill > 0 ? fill + 1 : 0);
      int avail = w - fixed - 9; // separators between FROM, →, TO, MECH, CHANNEL, MSG/S, BYTES/S, TOTAL, LAT, LAST
      int names = Math.min(22, Math.max(10, avail * 3 / 10));
      int channel = avail - 2 * names;
      if (channel < 6) {
        // Too narrow for a useful channel name: drop it and give its room to the process names.
        return new Layout((avail + 1) / 2, 0, spark, fill);
      }
      return new Layout(names, channel, spark, fill);
    }
  }

  private TalkTable() {}

  static void draw(TextGraphics g, List<TalkRow> rows, int w, int first, int last) {
    Layout l = Layout.of(w);
    g.enableModifiers(SGR.BOLD);
    Cells title = new Cells(g, first - 1, TextColor.ANSI.DEFAULT).left("FROM", l.names()).left("", 1)
        .left("TO", l.names()).left("MECH", MECH).left("CHANNEL", l.channel()).right("MSG/S", MSGS)
        .right("BYTES/S", RATE).right("TOTAL", TOTAL).right("LAT", LAT).right("FILL", l.fill()).left("", l.spark());
    title.right("LAST", LAST);
    g.disableModifiers(SGR.BOLD);
    int row = first;
    for (TalkRow r : rows) {
      if (row > last) {
        break;
      }
      TextColor c = TopRenderer.rowColour(r.fresh(), r.faded());
      Cells.bold(g, r.fresh());
      new Cells(g, row++, c).left(r.from(), l.names()).left("→", 1).left(r.to(), l.names())
          .coloured(TopRenderer.mechanismName(r.mechanism()), MECH,
              r.faded() ? c : TopRenderer.colour(r.mechanism()))
          .left(r.channel(), l.channel()).right(Units.count(r.messagesPerSec()), MSGS)
          .right(Units.bytes(r.bytesPerSec()), RATE).right(Units.bytes(r.bytes()), TOTAL)
          .right(Units.latency(r.latencyMeanNanos()), LAT)
          .right(r.maxBacklogBytes() > 0 ? Units.bytes(r.maxBacklogBytes()) : "", l.fill())
          .left(Units.sparkline(r.history(), l.spark()), l.spark())
          .right(Units.ago(r.lastAgoNanos()), LAST);
      Cells.bold(g, false);
    }
  }
}
