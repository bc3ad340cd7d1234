package io.ipcscope.tui;

import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.RecentEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The operations the dashboard has been handed: the last {@link #CAPACITY} for the Events view and detail pane, and
 * since the dashboard started, a latency histogram per edge and per consuming process. Counts the operations the
 * source skipped (gaps in the collector's numbering), so a sampled view says it is one.
 */
final class EventLog {

  static final int CAPACITY = 2_000;

  private final ArrayDeque<RecentEvent> events = new ArrayDeque<>();
  private final Map<EdgeKey, LatencyHistogram> byEdge = new HashMap<>();
  private final Map<ProcessKey, LatencyHistogram> byConsumer = new HashMap<>();
  private long lastSeq;
  private long seen;
  private long missed;
  private boolean resyncing;

  void add(List<RecentEvent> recent) {
    for (RecentEvent e : recent) {
      if (e.seq() <= lastSeq) {
        continue; // a source that starts over (a replay seeking back) is handled by clear()
      }
      if (lastSeq > 0 && e.seq() > lastSeq + 1 && !resyncing) {
        missed += e.seq() - lastSeq - 1;
      }
      resyncing = false;
      lastSeq = e.seq();
      seen++;
      if (events.size() == CAPACITY) {
        events.removeFirst();
      }
      events.addLast(e);
      if (e.role() == Role.CONSUMER && e.latencyNanos() >= 0 && e.source() != null) {
        byEdge.computeIfAbsent(new EdgeKey(e.source(), e.actor(), e.mechanism(), e.channel()),
            k -> new LatencyHistogram()).add(e.latencyNanos());
        byConsumer.computeIfAbsent(e.actor(), k -> new LatencyHistogram()).add(e.latencyNanos());
      }
    }
  }

  /** Forgets histograms of edges and processes the graph no longer has, so memory follows the graph's. */
  void retain(Set<EdgeKey> edges, Set<ProcessKey> processes) {
    byEdge.keySet().retainAll(edges);
    byConsumer.keySet().retainAll(processes);
  }

  /** The next operations are not counted as missed for coming after a gap (the dashboard was paused). */
  void resync() {
    resyncing = true;
  }

  void clear() {
    events.clear();
    byEdge.clear();
    byConsumer.clear();
    lastSeq = 0;
  }

  /** Up to {@code limit} kept operations that {@code which} accepts, newest first. */
  List<RecentEvent> newest(Predicate<RecentEvent> which, int limit) {
    List<RecentEvent> out = new ArrayList<>();
    for (Iterator<RecentEvent> it = events.descendingIterator(); it.hasNext() && out.size() < limit; ) {
      RecentEvent e = it.next();
      if (which.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  LatencyHistogram edge(EdgeKey key) {
    return byEdge.getOrDefault(key, new LatencyHistogram());
  }

  LatencyHistogram consumer(ProcessKey key) {
    return byConsumer.getOrDefault(key, new LatencyHistogram());
  }

  /** Operations handed to the dashboard since it started. */
  long seen() {
    return seen;
  }

  /** Operations the source did not hand on (more than it keeps between two frames). */
  long missed() {
    return missed;
  }
}
