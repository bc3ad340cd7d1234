package io.ipcscope.tui;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.SignalFlow;
import io.ipcscope.probes.event.Mechanism;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** The Signals view's rows: sender to target per signal, with what became of the sends. */
final class SignalRows {

  private SignalRows() {}

  static List<SignalRow> of(TopFrame frame, Map<ProcessKey, ProcessNode> nodes, SignalRates rates, RowFilter filter,
      SortKey sort, long freshNanos, long fadeNanos) {
    if (!filter.includes(Mechanism.SIGNAL)) {
      return List.of();
    }
    List<SignalRow> rows = new ArrayList<>();
    for (SignalFlow f : frame.graph().signals()) {
      String from = f.from().pid() == 0 ? "[kernel]" : Labels.of(nodes, f.from());
      String to = Labels.of(nodes, f.to());
      if (!filter.matches(from, to, f.name())) {
        continue;
      }
      SignalRates.Rate r = rates.get(f.key());
      long ago = Math.max(0, frame.atNanos() - f.lastNanos());
      boolean fresh = !r.presentAtStart && frame.atNanos() - r.firstSeenNanos < freshNanos;
      rows.add(new SignalRow(f.key(), from, to, f.name(), r.sentPerSec, f.sent(), f.delivered(),
          f.latencyMeanNanos(), f.latencyMaxNanos(), outcome(f), ago, fresh, ago >= fadeNanos));
    }
    // Signals carry no bytes: the byte keys sort by what they can, sends.
    Comparator<SignalRow> primary = switch (sort) {
      case BYTES_RATE, MESSAGE_RATE -> Comparator.comparingDouble(SignalRow::sentPerSec);
      case TOTAL_BYTES -> Comparator.comparingLong(SignalRow::sent);
      case LATENCY -> Comparator.comparingLong(SignalRow::latencyMeanNanos);
      case LAST_SEEN -> Comparator.comparingLong((SignalRow s) -> -s.lastAgoNanos());
    };
    rows.sort(primary.reversed().thenComparing(Comparator.comparingLong(SignalRow::sent).reversed())
        .thenComparing(SignalRow::from).thenComparing(SignalRow::to).thenComparingInt(s -> s.key().signal()));
    return List.copyOf(rows);
  }

  /** The sends that did not simply join the target's queue, by what the kernel did with them. */
  private static String outcome(SignalFlow f) {
    StringJoiner out = new StringJoiner(", ");
    outcome(out, f.blocked(), "blocked");
    outcome(out, f.ignored(), "ignored");
    outcome(out, f.merged(), "merged");
    outcome(out, f.failed(), "failed");
    return out.toString();
  }

  private static void outcome(StringJoiner out, long count, String what) {
    if (count > 0) {
      out.add(count + " " + what);
    }
  }
}
