package io.ipcscope.cli.trace;

import io.ipcscope.probes.event.Mechanism;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Counts what was shown, for the one-line summary on stderr at the end. */
final class TraceSummary {

  private final Map<Mechanism, Long> perMechanism = new EnumMap<>(Mechanism.class);
  private final long startNanos = System.nanoTime();

  void count(Mechanism m) {
    perMechanism.merge(m, 1L, Long::sum);
  }

  void add(Mechanism m, long n) {
    perMechanism.merge(m, n, Long::sum);
  }

  long total() {
    return perMechanism.values().stream().mapToLong(Long::longValue).sum();
  }

  void print(PrintStream err, long lost) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String breakdown = perMechanism.isEmpty() ? "none"
        : perMechanism.entrySet().stream().map(e -> e.getKey().id() + " " + e.getValue()).collect(Collectors.joining(", "));
    err.printf("ipcscope: %d events in %.1f s (%s); lost %d%n", total(), seconds, breakdown, lost);
    err.flush();
  }
}
