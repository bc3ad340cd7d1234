package io.ipcscope.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.graphics.TextGraphics;

/** The ? overlay: what every key does, boxed in the middle of the screen over the table. */
final class HelpBox {

  static final String[] LINES = {
      "q, Esc       quit",
      "Tab, Right   next view: Talk, Channels, Processes,",
      "             Signals, Map, Events; 1-6 go to one",
      "Enter        detail of the selected row: latency histogram,",
      "             last operations, trace ids (Esc back)",
      "s            sort by bytes/s, msgs/s, total, latency, last",
      "m            only one family: pipes, queues, shm, sem+locks,",
      "             signals, sockets, then all again",
      "/            filter by comm, pid, mechanism or channel",
      "             (Enter applies, Esc cancels, Ctrl-U empties)",
      "p, Space     pause (replay: [ ] { } seek 10/60 s, - + speed)",
      "Up/Down j/k  select a row; PgUp/PgDn a page; g/G top/end",
      "f            the cursor follows its row as the order changes",
      "Map          row sends to column; each shade 10x the last",
      "?            close this help",
  };

  private HelpBox() {}

  static void draw(TextGraphics g, int w, int h) {
    int inner = 0;
    for (String line : LINES) {
      inner = Math.max(inner, line.length());
    }
    int boxW = Math.min(w, inner + 4);
    int boxH = Math.min(h, LINES.length + 2);
    int x = (w - boxW) / 2;
    int y = (h - boxH) / 2;
    g.fillRectangle(new TerminalPosition(x, y), new TerminalSize(boxW, boxH), ' ');
    g.drawRectangle(new TerminalPosition(x, y), new TerminalSize(boxW, boxH), '#');
    g.enableModifiers(SGR.BOLD);
    g.putString(x + 2, y, " keys ");
    g.disableModifiers(SGR.BOLD);
    for (int i = 0; i < LINES.length && i < boxH - 2; i++) {
      g.putString(x + 2, y + 1 + i, Units.fit(LINES[i], boxW - 4));
    }
  }
}
