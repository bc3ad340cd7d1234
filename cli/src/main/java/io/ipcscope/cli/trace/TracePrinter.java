package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ResolvedEvent;
import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * The end of trace's pipeline, live or replayed: shows what the filter lets through, one line per event, and counts
 * it. The filter needs the model's channel table, so it comes once the model exists ({@link #showOnly}).
 */
final class TracePrinter implements Consumer<ResolvedEvent> {

  private final PrintStream out;
  private final EventFormatter formatter;
  private final TraceSummary summary;
  private final StringBuilder line = new StringBuilder(512);
  private DisplayFilter filter;

  TracePrinter(PrintStream out, EventFormatter formatter, TraceSummary summary) {
    this.out = out;
    this.formatter = formatter;
    this.summary = summary;
  }

  void showOnly(DisplayFilter displayFilter) {
    this.filter = displayFilter;
  }

  DisplayFilter filter() {
    return filter;
  }

  void header() {
    if (formatter.header() != null) {
      out.println(formatter.header());
    }
  }

  @Override
  public void accept(ResolvedEvent r) {
    if (filter.shows(r)) {
      summary.count(r.event().mechanism());
      line.setLength(0);
      formatter.format(r, line);
      out.append(line).append('\n');
    }
  }

  void lost(long count) {
    line.setLength(0);
    formatter.lost(count, line);
    out.append(line).append('\n');
  }
}
