package io.ipcscope.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.screen.Screen;
import io.ipcscope.probes.event.Mechanism;
import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link TopModel} onto a Lanterna screen's back buffer: header, column titles, rows, footer, and the help
 * box on top when asked. It holds no state; the caller refreshes the screen.
 */
public final class TopRenderer {

  public static final int MIN_COLUMNS = 60;
  public static final int MIN_ROWS = 10;

  static final String KEYS = "q quit  Tab view  Enter detail  / filter  s sort  m mech  p pause  ? help";

  private static final TextColor FG = TextColor.ANSI.DEFAULT;
  private static final TextColor FADED = TextColor.ANSI.BLACK_BRIGHT;
  private static final TextColor FRESH = TextColor.ANSI.GREEN_BRIGHT;

  private TopRenderer() {}

  /** Draws the whole screen for the terminal's current size. */
  public static void render(Screen screen, TopModel model, String source) {
    screen.clear();
    TerminalSize size = screen.getTerminalSize();
    TextGraphics g = screen.newTextGraphics();
    int w = size.getColumns();
    int h = size.getRows();
    if (w < MIN_COLUMNS || h < MIN_ROWS) {
      tooSmall(g, "ipcscope top needs at least " + MIN_COLUMNS + "x" + MIN_ROWS + "; this terminal is " + w + "x" + h,
          w, h);
      return;
    }
    header(g, model, source, w);
    int first = 2;
    int last = h - 3;
    var detail = model.detail();
    if (detail.isPresent()) {
      DetailView.draw(g, detail.get(), w, first, last);
    } else {
      table(screen, g, model, w, h, first, last);
    }
    status(g, model, w, h - 2);
    footer(g, model, w, h - 1);
    if (model.help()) {
      HelpBox.draw(g, w, h);
    }
  }

  private static void table(Screen screen, TextGraphics g, TopModel model, int w, int h, int first, int last) {
    int from = model.firstShown(page(h));
    switch (model.view()) {
      case TALK -> TalkTable.draw(g, shown(model.talkRows(), from), w, first, last);
      case CHANNELS -> drawChannels(g, shown(model.channelRows(), from), w, first, last);
      case PROCESSES -> drawProcesses(g, shown(model.processRows(), from), w, first, last);
      case EVENTS -> {
        EventTable.titles(g, w, first - 1);
        EventTable.rows(g, shown(model.eventRows(), from), w, first, last);
      }
      case MAP -> MapView.draw(g, model, w, h);
      case SIGNALS -> SignalTable.draw(g, shown(model.signalRows(), from), w, first, last);
    }
    if (model.rows().isEmpty()) {
      String why = model.frame().isEmpty() ? "waiting for the first frame..."
          : !model.filter().isEmpty() ? "nothing matches filter '" + model.filter() + "'"
          : model.family() != MechanismFamily.ALL ? "no " + model.family().label() + " seen yet (m: next family)"
          : model.view() == TopModel.View.SIGNALS ? "no signals seen yet"
          : model.view() == TopModel.View.EVENTS ? "no operations seen yet" : "no IPC seen yet";
      g.putString(1, first, Units.fit(why, w - 1));
    } else if (model.view() != TopModel.View.MAP) {
      highlight(screen, first + model.selected() - from, w);
    }
  }

  /** The selected row in reverse video, whatever each cell's colour, like htop's cursor bar. */
  private static void highlight(Screen screen, int row, int w) {
    for (int x = 0; x < w; x++) {
      TextCharacter c = screen.getBackCharacter(x, row);
      if (c != null) {
        screen.setCharacter(x, row, c.withModifier(SGR.REVERSE));
      }
    }
  }

  /** How many rows a screen {@code height} lines tall shows between the column names and the status line. */
  static int page(int height) {
    return Math.max(1, height - 5);
  }

  /** What a page is for the scroll keys in the current view: table rows, or the Map's processes. */
  static int page(TopModel model, TerminalSize size) {
    return model.view() == TopModel.View.MAP ? MapView.page(model, size.getColumns(), size.getRows())
        : page(size.getRows());
  }

  private static <T> List<T> shown(List<T> rows, int from) {
    return from == 0 ? rows : rows.subList(Math.min(from, rows.size()), rows.size());
  }

  /** The notice wrapped at word boundaries: on the smallest terminals one line cannot hold it. */
  private static void tooSmall(TextGraphics g, String notice, int w, int h) {
    int row = 0;
    StringBuilder line = new StringBuilder();
    for (String word : notice.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > w) {
        g.putString(0, row++, Units.fit(line.toString(), w));
        line.setLength(0);
      }
      line.append(line.length() > 0 ? " " : "").append(word);
    }
    if (row < h) {
      g.putString(0, row, Units.fit(line.toString(), w));
    }
  }

  private static void header(TextGraphics g, TopModel model, String source, int w) {
    // A replay's place goes at the right end; the views and the source share what it leaves.
    String place = model.playback().map(Playback.Status::label).orElse("");
    int end = place.isEmpty() ? w : w - place.length() - 2;
    g.putString(0, 0, "ipcscope top");
    int x = 14;
    int allViews = 0;
    for (TopModel.View v : TopModel.View.values()) {
      allViews += v.title().length() + 1;
    }
    // On a narrow terminal the source matters more than the names of the views not shown.
    boolean onlyCurrent = x + allViews + 2 + Math.min(source.length(), 24) > end;
    for (TopModel.View v : TopModel.View.values()) {
      if (onlyCurrent && v != model.view()) {
        continue;
      }
      // Alone, the view says where it is among the others, so Tab's reach is still visible.
      String title = onlyCurrent ? v.title() + " " + (v.ordinal() + 1) + "/" + TopModel.View.values().length
          : v.title();
      if (v == model.view()) {
        g.enableModifiers(SGR.REVERSE);
      }
      g.putString(x, 0, title);
      g.disableModifiers(SGR.REVERSE);
      x += title.length() + 1;
    }
    g.putString(x + 1, 0, Units.fit(source, end - x - 1));
    if (!place.isEmpty()) {
      String shown = Units.fit(place, w - x - 1);
      boolean paused = model.playback().filter(p -> p.paused() && !p.ended()).isPresent();
      g.setForegroundColor(paused ? TextColor.ANSI.YELLOW_BRIGHT : FG);
      g.putString(w - shown.length(), 0, shown);
      g.setForegroundColor(FG);
    }
  }

  /**
   * The status bar: how the collector is doing (events/s, records lost, spans exported or why none), then what the
   * user chose (sort, family, filter, pause), right-aligned.
   */
  private static void status(TextGraphics g, TopModel model, int w, int row) {
    StringBuilder left = new StringBuilder();
    left.append(Units.count(model.eventsPerSec())).append(" ev/s  lost ").append(model.lost());
    if (model.eventsMissed() > 0) {
      left.append("  skipped ").append(Units.count(model.eventsMissed()));
    }
    left.append("  ").append(export(model));
    int jvms = model.jvms();
    if (jvms > 0) {
      left.append("  jvm ").append(jvms);
    }
    StringBuilder right = new StringBuilder("sort ").append(model.sort().label());
    if (model.family() != MechanismFamily.ALL) {
      right.append("  mech ").append(model.family().label());
    }
    if (!model.filter().isEmpty()) {
      right.append("  filter ").append(model.filter());
    }
    if (model.following()) {
      right.append("  FOLLOW");
    }
    if (model.paused()) {
      right.append("  PAUSED");
    }
    boolean trouble = model.lost() > 0 || model.frame().map(f -> f.health().spansFailed() > 0).orElse(false);
    g.setForegroundColor(trouble ? TextColor.ANSI.YELLOW_BRIGHT : FG);
    g.putString(0, row, Units.fit(left.toString(), w));
    g.setForegroundColor(FG);
    int room = w - left.length() - 2;
    if (room >= 8) {
      String shown = Units.fit(right.toString(), room);
      if (model.paused()) {
        g.setForegroundColor(TextColor.ANSI.YELLOW_BRIGHT);
      }
      g.putString(w - shown.length(), row, shown);
      g.setForegroundColor(FG);
    }
  }

  /** "spans 9.1k sent" when a collector exports them, or that this dashboard makes none. */
  private static String export(TopModel model) {
    var health = model.frame().map(TopFrame::health).orElse(null);
    if (health == null || health.spansMade() == 0) {
      return "spans off";
    }
    String s = "spans " + Units.count(health.spansExported()) + " sent";
    if (health.spansFailed() > 0) {
      s += " " + Units.count(health.spansFailed()) + " failed";
    }
    if (health.spansDropped() > 0) {
      s += " " + Units.count(health.spansDropped()) + " dropped";
    }
    return s;
  }

  private static void footer(TextGraphics g, TopModel model, int w, int row) {
    var draft = model.filterDraft();
    if (draft.isPresent()) {
      String line = "filter: " + draft.get() + "_";
      String hint = "Enter apply  Esc cancel";
      g.putString(0, row, Units.fit(line, w));
      if (line.length() + hint.length() + 2 <= w) {
        g.putString(w - hint.length(), row, hint);
      }
      return;
    }
    g.putString(0, row, Units.fit(model.detailOpen() ? DETAIL_KEYS : KEYS, w));
  }

  static final String DETAIL_KEYS = "Esc back  q quit  p pause  ? help";

  private static void drawChannels(TextGraphics g, List<ChannelRow> rows, int w, int first, int last) {
    // CHANNEL and ENDPOINTS share what the fixed columns leave, endpoints getting more: they are the point.
    int mech = 9;
    int rate = 7;
    int total = 6;
    int backlog = 7;
    int flex = w - mech - rate - total - backlog - 5;
    int channel = Math.max(12, flex / 3);
    int ends = flex - channel;
    g.enableModifiers(SGR.BOLD);
    new Cells(g, first - 1, FG).left("CHANNEL", channel).left("MECH", mech).left("ENDPOINTS", ends)
        .right("BYTES/S", rate).right("TOTAL", total).right("BACKLOG", backlog);
    g.disableModifiers(SGR.BOLD);
    int row = first;
    for (ChannelRow r : rows) {
      if (row > last) {
        break;
      }
      new Cells(g, row++, FG).left(r.channel(), channel).coloured(mechanismName(r.mechanism()), mech,
              colour(r.mechanism()))
          .left(r.endpoints(), ends).right(Units.bytes(r.bytesPerSec()), rate).right(Units.bytes(r.bytes()), total)
          .right(Units.bytes(r.maxBacklogBytes()), backlog);
    }
  }

  private static void drawProcesses(TextGraphics g, List<ProcessRow> rows, int w, int first, int last) {
    int pid = 7;
    int rate = 7;
    int msgs = 6;
    int comm = Math.max(12, Math.min(28, (w - pid - 2 * rate - msgs - 5) / 3));
    int mechanisms = w - pid - comm - 2 * rate - msgs - 5;
    g.enableModifiers(SGR.BOLD);
    new Cells(g, first - 1, FG).right("PID", pid).left("COMMAND", comm).right("IN/S", rate).right("OUT/S", rate)
        .right("MSG/S", msgs).left("PER MECHANISM IN/OUT PER S", mechanisms);
    g.disableModifiers(SGR.BOLD);
    int row = first;
    for (ProcessRow r : rows) {
      if (row > last) {
        break;
      }
      // The tree as htop draws it: children indented under their parent.
      String name = (r.depth() == 0 ? "" : "  ".repeat(r.depth() - 1) + "└ ") + r.comm() + (r.jvm() ? " (jvm)" : "");
      new Cells(g, row++, FG).right(Integer.toString(r.pid()), pid).left(name, comm)
          .right(Units.bytes(r.inBytesPerSec()), rate).right(Units.bytes(r.outBytesPerSec()), rate)
          .right(Units.count(r.messagesPerSec()), msgs).left(r.perMechanism(), mechanisms);
    }
  }

  /** One colour per family, so a glance tells pipes from queues from shared memory. */
  static TextColor colour(Mechanism m) {
    return switch (m) {
      case PIPE, FIFO -> TextColor.ANSI.GREEN;
      case POSIX_MQ, SYSV_MQ -> TextColor.ANSI.MAGENTA;
      case POSIX_SHM, SYSV_SHM -> TextColor.ANSI.CYAN;
      case SEM, FILE_LOCK -> TextColor.ANSI.YELLOW;
      case SIGNAL -> TextColor.ANSI.RED;
      case UNIX_SOCKET, TCP, UDP -> TextColor.ANSI.BLUE_BRIGHT;
      default -> FG;
    };
  }

  /** The mechanism as the MECH column names it: its id, with the two long ones shortened to fit nine columns. */
  static String mechanismName(Mechanism m) {
    return switch (m) {
      case UNIX_SOCKET -> "unix";
      case FILE_LOCK -> "flock";
      default -> m.id().toLowerCase(Locale.ROOT);
    };
  }

  static TextColor rowColour(boolean fresh, boolean faded) {
    return faded ? FADED : fresh ? FRESH : FG;
  }
}
