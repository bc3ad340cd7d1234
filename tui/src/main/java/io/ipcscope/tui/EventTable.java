package io.ipcscope.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import io.ipcscope.collector.talk.RecentEvent;
import java.util.List;

/** The operations, newest first: the Events view, and the detail pane's recent list. */
final class EventTable {

  private static final int TIME = 12;
  private static final int OP = 8;
  private static final int BYTES = 6;
  private static final int LAT = 5;

  private EventTable() {}

  /** Width of the actor and peer columns for a terminal {@code w} wide; the channel gets the rest. */
  private static int names(int w) {
    return Math.max(10, Math.min(22, (w - TIME - OP - BYTES - LAT - 6) / 4));
  }

  static void titles(TextGraphics g, int w, int row) {
    int names = names(w);
    g.enableModifiers(SGR.BOLD);
    new Cells(g, row, TextColor.ANSI.DEFAULT).left("TIME", TIME).left("PROCESS", names).left("OP", OP)
        .left("CHANNEL", channel(w, names)).right("BYTES", BYTES).left("PEER", names + 2).right("LAT", LAT);
    g.disableModifiers(SGR.BOLD);
  }

  static void rows(TextGraphics g, List<EventRow> rows, int w, int first, int last) {
    int names = names(w);
    int row = first;
    for (EventRow r : rows) {
      if (row > last) {
        break;
      }
      RecentEvent e = r.event();
      TextColor base = e.result() < 0 ? TextColor.ANSI.RED : TextColor.ANSI.DEFAULT;
      new Cells(g, row++, base).left(r.time(), TIME).left(r.actor(), names)
          .left(e.result() < 0 ? e.op().id() + "!" : e.op().id(), OP)
          .coloured(r.channel(), channel(w, names), TopRenderer.colour(e.mechanism()))
          .right(e.bytes() > 0 ? Units.bytes(e.bytes()) : "", BYTES).left(r.peer(), names + 2)
          .right(e.latencyNanos() >= 0 ? Units.latency(e.latencyNanos()) : "", LAT);
    }
  }

  private static int channel(int w, int names) {
    return Math.max(6, w - TIME - OP - BYTES - LAT - 2 * names - 2 - 6);
  }
}
