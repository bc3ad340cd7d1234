package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ResolvedEvent;

/** Access to the trace formatters for the benchmarks, which must do exactly what {@code trace} does. */
public final class Formatters {

  private Formatters() {}

  /** Formats like {@code trace --json}. */
  public interface Json {
    void format(ResolvedEvent event, StringBuilder out);
  }

  public static Json json() {
    JsonFormatter f = new JsonFormatter(new MonotonicClock());
    return f::format;
  }
}
