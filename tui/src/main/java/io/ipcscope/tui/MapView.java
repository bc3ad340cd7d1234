package io.ipcscope.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import java.util.List;

/**
 * The Map view: who talks to whom as an adjacency matrix, row sends to column, each cell coloured by its busiest
 * mechanism's family and shaded by its rate.
 *
 * <p>A matrix rather than boxes and lines: with 5 to 40 processes, a node-link drawing in 80 by 24 characters has no
 * room to route edges without crossings, and a crossing drawn in box characters is ambiguous, where a matrix cell is
 * exactly one pair however dense the graph. Each process costs one line and three columns, so about twenty fit at
 * 80x24 and the rest scroll. {@link TalkMatrix} orders the processes so that groups that talk form blocks along the
 * diagonal, which gives back much of what a node-link picture shows at a glance: clusters, hubs (a full row or
 * column) and loners.
 */
final class MapView {

  private static final TextColor FG = TextColor.ANSI.DEFAULT;
  private static final TextColor FADED = TextColor.ANSI.BLACK_BRIGHT;

  private MapView() {}

  /** The layout for the model's matrix on a terminal {@code w} by {@code h}. */
  static MapLayout layout(TopModel model, int w, int h) {
    // The status bar above the footer is one line the matrix does not have.
    return MapLayout.of(model.talkMatrix(), w, h - 1, model.scroll(), TopRenderer::mechanismName);
  }

  /** How many processes one screen shows: what a page is for the scroll keys. */
  static int page(TopModel model, int w, int h) {
    return Math.max(1, layout(model, w, h).shown().size());
  }

  /** Draws from line 1 down; draws nothing when the matrix is empty, leaving the renderer's notice alone. */
  static void draw(TextGraphics g, TopModel model, int w, int h) {
    if (model.talkMatrix().nodes().isEmpty()) {
      return;
    }
    MapLayout l = layout(model, w, h);
    int x0 = l.labelWidth();
    g.enableModifiers(SGR.BOLD);
    g.putString(0, 1, Units.fit(MapLayout.CORNER, x0 - 1));
    for (int c = 0; c < l.size(); c++) {
      g.putString(x0 + c * MapLayout.CELL, 1, l.heading(c));
    }
    g.disableModifiers(SGR.BOLD);
    int y = 2;
    for (int r = 0; r < l.size(); r++, y++) {
      g.setForegroundColor(r < l.shown().size() ? FG : FADED);
      g.putString(0, y, l.label(r));
      for (int c = 0; c < l.size(); c++) {
        TalkMatrix.Cell cell = l.cell(r, c);
        boolean faint = cell == null || cell.faded();
        g.setForegroundColor(faint ? FADED : TopRenderer.colour(cell.mechanisms().get(0)));
        g.putString(x0 + c * MapLayout.CELL, y, l.cellText(r, c));
      }
      g.setForegroundColor(FG);
    }
    for (List<MapLayout.Item> line : l.legend()) {
      int x = 0;
      for (MapLayout.Item item : line) {
        g.setForegroundColor(item.mechanism() == null ? FG : TopRenderer.colour(item.mechanism()));
        g.putString(x, y, item.text());
        x += item.text().length() + 2;
      }
      g.setForegroundColor(FG);
      y++;
    }
  }
}
