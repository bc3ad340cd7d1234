package io.ipcscope.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalSize;
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

  static final String KEYS = "q quit  Tab view  s sort  / filter  p pause  ? help";

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
    int last = h - 2;
    int from = firstShown(model, h);
    switch (model.view()) {
      case TALK -> TalkTable.draw(g, shown(model.talkRows(), from), w, first, last);
      case CHANNELS -> drawChannels(g, shown(model.channelRows(), from), w, first, last);
      case PROCESSES -> drawProcesses(g, shown(model.processRows(), from), w, first, last);
      case SIGNALS -> SignalTable.draw(g, shown(model.signalRows(), from), w, first, last);
      case MAP, EVENTS -> { }
    }
    if (model.rows().isEmpty()) {
      String why = model.frame().isEmpty() ? "waiting for the first frame..."
          : !model.filter().isEmpty() ? "nothing matches filter '" + model.filter() + "'"
          : model.view() == TopModel.View.SIGNALS ? "no signals seen yet" : "no IPC seen yet";
      g.putString(1, first, Units.fit(why, w - 1));
    }
    footer(g, model, w, h - 1);
    if (model.help()) {
      HelpBox.draw(g, w, h);
    }
  }

  /** How many rows a screen {@code height} lines tall shows below the header and column names, above the footer. */
  static int page(int height) {
    return Math.max(1, height - 4);
  }

  /** The first row to show: the model's scroll, within the rows there are now. */
  private static int firstShown(TopModel model, int height) {
    return Math.max(0, Math.min(model.scroll(), model.rows().size() - page(height)));
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
    StringBuilder status = new StringBuilder();
    status.append(Units.count(model.eventsPerSec())).append(" ev/s  lost ").append(model.lost());
    if (model.paused()) {
      status.append("  PAUSED");
    }
    g.putString(0, 0, "ipcscope top");
    int x = 14;
    int allViews = 0;
    for (TopModel.View v : TopModel.View.values()) {
      allViews += v.title().length() + 1;
    }
    // On a narrow terminal the status matters more than the names of the views not shown.
    // ... and the source needs room to be recognisable.
    boolean onlyCurrent = x + allViews + 3 + Math.min(source.length(), 16) + status.length() > w;
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
    int statusX = w - status.length();
    if (model.paused()) {
      g.setForegroundColor(TextColor.ANSI.YELLOW_BRIGHT);
    }
    g.putString(statusX, 0, status.toString());
    g.setForegroundColor(FG);
    // The source gets what is left between the view names and the status.
    g.putString(x + 1, 0, Units.fit(source, statusX - x - 3));
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
    g.putString(0, row, Units.fit(KEYS, w));
    String state = "sort " + model.sort().label() + (model.filter().isEmpty() ? "" : "  filter " + model.filter());
    int room = w - KEYS.length() - 2;
    if (room >= 6) {
      String shown = Units.fit(state, room);
      g.putString(w - shown.length(), row, shown);
    }
  }

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
      new Cells(g, row++, FG).left(r.channel(), channel).coloured(r.mechanism().id(), mech, colour(r.mechanism()))
          .left(r.endpoints(), ends).right(Units.bytes(r.bytesPerSec()), rate).right(Units.bytes(r.bytes()), total)
          .right(Units.bytes(r.maxBacklogBytes()), backlog);
    }
  }

  private static void drawProcesses(TextGraphics g, List<ProcessRow> rows, int w, int first, int last) {
    int pid = 7;
    int ppid = 7;
    int rate = 7;
    int msgs = 6;
    int comm = w - pid - ppid - 2 * rate - msgs - 5;
    g.enableModifiers(SGR.BOLD);
    new Cells(g, first - 1, FG).right("PID", pid).left("COMM", comm).right("PPID", ppid).right("IN/S", rate)
        .right("OUT/S", rate).right("MSG/S", msgs);
    g.disableModifiers(SGR.BOLD);
    int row = first;
    for (ProcessRow r : rows) {
      if (row > last) {
        break;
      }
      new Cells(g, row++, FG).right(Integer.toString(r.pid()), pid).left(r.comm(), comm)
          .right(r.parentPid() == 0 ? "-" : Integer.toString(r.parentPid()), ppid)
          .right(Units.bytes(r.inBytesPerSec()), rate).right(Units.bytes(r.outBytesPerSec()), rate)
          .right(Units.count(r.messagesPerSec()), msgs);
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
