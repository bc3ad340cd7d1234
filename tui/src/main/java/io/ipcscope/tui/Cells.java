package io.ipcscope.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;

/** Writes one table line cell by cell, left to right, one space between cells, each cut or padded to its width. */
final class Cells {

  private final TextGraphics g;
  private final int row;
  private final TextColor base;
  private int col;

  Cells(TextGraphics g, int row, TextColor base) {
    this.g = g;
    this.row = row;
    this.base = base;
  }

  Cells left(String text, int width) {
    return put(Units.fit(text, width), width, false, base);
  }

  Cells right(String text, int width) {
    return put(Units.fit(text, width), width, true, base);
  }

  Cells coloured(String text, int width, TextColor colour) {
    return put(Units.fit(text, width), width, false, colour);
  }

  private Cells put(String text, int width, boolean right, TextColor colour) {
    if (width <= 0) {
      return this;
    }
    int x = right ? col + width - text.length() : col;
    g.setForegroundColor(colour);
    g.putString(x, row, text);
    g.setForegroundColor(base);
    col += width + 1;
    return this;
  }

  /** Emphasis for a whole line (new edges), applied to what is written next. */
  static void bold(TextGraphics g, boolean on) {
    if (on) {
      g.enableModifiers(SGR.BOLD);
    } else {
      g.disableModifiers(SGR.BOLD);
    }
  }
}
