package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ResolvedEvent;

/** Turns resolved events into output lines. Implementations append to a reusable builder: no per-event formatter. */
interface EventFormatter {

  /** The first line of the output, or null for none. */
  String header();

  void format(ResolvedEvent event, StringBuilder out);

  /** The line that says {@code count} events were lost because the ring buffer was full. */
  void lost(long count, StringBuilder out);
}
