package io.ipcscope.tui;

import io.ipcscope.probes.event.Mechanism;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where the Map view puts what, for one terminal size and scroll, with no terminal: which processes get a row and a
 * column, what each cell says, and the legend. {@link MapView} only draws it.
 *
 * <p>Line 1 numbers the columns, the matrix follows, then the legend (one or two lines); line 0 and the last line are
 * the dashboard's header and footer. A cell is three characters: a shade for the rate, the letter of the busiest
 * mechanism, and {@code +} when the pair uses more than one. When not every process fits, the window shows
 * {@link #shown()} consecutive processes of the matrix's order on both axes and merges the others into one last row
 * and column, so traffic to a process scrolled away still shows, only not to whom.
 */
final class MapLayout {

  static final int CELL = 3;
  static final String CORNER = "from ↓ to →";
  static final String RAMP = TalkMatrix.SHADES + " idle→busy";
  private static final int MAX_LEGEND_LINES = 2;

  private final int labelWidth;
  private final int first;
  private final List<TalkMatrix.Node> shown;
  private final int hidden;
  private final TalkMatrix.Cell[][] cells;
  private final List<List<Item>> legend;

  /** One entry of the legend; {@code mechanism} is null for the shades. */
  record Item(String text, Mechanism mechanism) {}

  private MapLayout(int labelWidth, int first, List<TalkMatrix.Node> shown, int hidden, TalkMatrix.Cell[][] cells,
      List<List<Item>> legend) {
    this.labelWidth = labelWidth;
    this.first = first;
    this.shown = shown;
    this.hidden = hidden;
    this.cells = cells;
    this.legend = legend;
  }

  /**
   * The layout of {@code matrix} on a terminal {@code columns} by {@code rows}, scrolled to start at process
   * {@code scroll} (kept within what there is).
   *
   * @param name how the legend names a mechanism
   */
  static MapLayout of(TalkMatrix matrix, int columns, int rows, int scroll, Function<Mechanism, String> name) {
    // A quarter of the width for names: at 80 columns that leaves twenty cells.
    int labelWidth = Math.min(24, Math.max(12, columns / 4));
    int cellsFit = (columns - labelWidth) / CELL;
    List<Item> items = new ArrayList<>();
    items.add(new Item(RAMP, null));
    for (Mechanism m : matrix.mechanisms()) {
      items.add(new Item(code(m) + " " + name.apply(m), m));
    }
    List<List<Item>> legend = wrap(items, columns);
    // Header, column numbers, legend and footer; the matrix has the rest.
    int lines = Math.max(1, rows - 3 - legend.size());
    int room = Math.max(1, Math.min(lines, cellsFit));
    int total = matrix.nodes().size();
    int n = total <= room ? total : Math.max(1, room - 1);
    int first = Math.max(0, Math.min(scroll, total - n));
    int hidden = total - n;
    int size = n + (hidden > 0 ? 1 : 0);
    TalkMatrix.Cell[][] cells = new TalkMatrix.Cell[size][size];
    for (int r = 0; r < total; r++) {
      int row = window(r, first, n);
      for (var e : matrix.row(r).entrySet()) {
        int col = window(e.getKey(), first, n);
        cells[row][col] = e.getValue().merge(cells[row][col]);
      }
    }
    return new MapLayout(labelWidth, first, matrix.nodes().subList(first, first + n), hidden, cells, legend);
  }

  /** Where process {@code i} of the matrix lands: its place in the window, or the merged last row or column. */
  private static int window(int i, int first, int n) {
    return i >= first && i < first + n ? i - first : n;
  }

  /** Items two spaces apart over at most {@link #MAX_LEGEND_LINES} lines; what does not fit is left out. */
  private static List<List<Item>> wrap(List<Item> items, int width) {
    List<List<Item>> lines = new ArrayList<>();
    List<Item> line = new ArrayList<>();
    int length = 0;
    for (Item item : items) {
      if (length > 0 && length + 2 + item.text().length() > width) {
        lines.add(line);
        if (lines.size() == MAX_LEGEND_LINES) {
          return lines;
        }
        line = new ArrayList<>();
        length = 0;
      }
      length += (length > 0 ? 2 : 0) + item.text().length();
      line.add(item);
    }
    lines.add(line);
    return lines;
  }

  /** The letter a cell shows for a mechanism; capitals are the System V twin of a POSIX mechanism. */
  static char code(Mechanism m) {
    return switch (m) {
      case PIPE -> 'p';
      case FIFO -> 'f';
      case SIGNAL -> 's';
      case POSIX_MQ -> 'q';
      case SYSV_MQ -> 'Q';
      case POSIX_SHM -> 'm';
      case SYSV_SHM -> 'M';
      case SEM -> 'e';
      case FILE_LOCK -> 'l';
      case UNIX_SOCKET -> 'u';
      case TCP -> 't';
      case UDP -> 'd';
      case PROCESS -> 'x';
      case BENCH -> 'b';
    };
  }

  /** Columns of the label at the start of each row, its trailing space included. */
  int labelWidth() {
    return labelWidth;
  }

  /** Index in the matrix of the first process shown. */
  int first() {
    return first;
  }

  /** The processes with a row and a column, in order. */
  List<TalkMatrix.Node> shown() {
    return shown;
  }

  /** How many processes are merged into the last row and column; 0 when there is none. */
  int hidden() {
    return hidden;
  }

  /** Rows (and columns) of the matrix: the processes shown, and the merged one if any. */
  int size() {
    return cells.length;
  }

  /** What row {@code row} sends to column {@code col} (indices of the window), or null. */
  TalkMatrix.Cell cell(int row, int col) {
    return cells[row][col];
  }

  /** The three characters of a cell: shade, letter, {@code +} for more; the diagonal is marked where empty. */
  String cellText(int row, int col) {
    TalkMatrix.Cell c = cells[row][col];
    if (c == null) {
      return row == col && row < shown.size() ? "╲  " : "   ";
    }
    List<Mechanism> ms = c.mechanisms();
    return "" + TalkMatrix.SHADES.charAt(c.level()) + code(ms.get(0)) + (ms.size() > 1 ? "+" : " ");
  }

  /** Row {@code row}'s label: its process's number and name, or how many are merged into the last row. */
  String label(int row) {
    int digits = Math.max(2, Integer.toString(first + shown.size() + hidden).length());
    String text = row < shown.size()
        ? String.format(Locale.ROOT, "%" + digits + "d ", first + row + 1)
        : " ".repeat(digits - 1) + "+" + hidden + " more, / filter";
    if (row >= shown.size()) {
      // The count matters more than the hint, which is in the help too.
      return Units.fit(text.length() < labelWidth ? text : text.substring(0, text.indexOf(',')), labelWidth - 1);
    }
    return text + fitName(shown.get(row).label(), labelWidth - 1 - text.length());
  }

  /** Cut in the command, not the pid: the pid tells apart the processes of one command. */
  static String fitName(String label, int width) {
    int pid = label.lastIndexOf('[');
    if (label.length() <= width || pid <= 0 || label.length() - pid + 2 > width) {
      return Units.fit(label, width);
    }
    return Units.fit(label.substring(0, pid), width - (label.length() - pid)) + label.substring(pid);
  }

  /** Column {@code col}'s heading, as wide as a cell: its process's number, {@code +} for the merged column. */
  String heading(int col) {
    if (col >= shown.size()) {
      return " + ";
    }
    String number = Integer.toString(first + col + 1);
    // Three digits would run into the next heading; the row labels carry the whole number.
    return String.format("%2s ", number.substring(Math.max(0, number.length() - 2)));
  }

  /** The legend's lines of items: the shades, then each mechanism's letter and name. */
  List<List<Item>> legend() {
    return legend;
  }

  /** A legend line as text, its items two spaces apart. */
  static String text(List<Item> line) {
    return String.join("  ", line.stream().map(Item::text).toList());
  }

  /** The plain text of the map's lines from the column numbers down, as {@link MapView} draws them. */
  List<String> lines() {
    List<String> lines = new ArrayList<>();
    StringBuilder head = new StringBuilder(Units.fit(CORNER, labelWidth - 1));
    head.append(" ".repeat(labelWidth - head.length()));
    for (int c = 0; c < size(); c++) {
      head.append(heading(c));
    }
    lines.add(head.toString().stripTrailing());
    for (int r = 0; r < size(); r++) {
      StringBuilder line = new StringBuilder(label(r));
      line.append(" ".repeat(labelWidth - line.length()));
      for (int c = 0; c < size(); c++) {
        line.append(cellText(r, c));
      }
      lines.add(line.toString().stripTrailing());
    }
    legend.forEach(line -> lines.add(text(line)));
    return lines;
  }
}
