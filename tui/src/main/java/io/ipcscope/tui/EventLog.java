package io.ipcscope.tui;

import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.RecentEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.TreeMap;
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
  /**
   * Kept per channel and per process besides: on a busy host the last {@link #CAPACITY} operations are a second or
   * two, and the detail of a quiet pipe would have none of its own.
   */
  static final int PER_OBJECT = 32;

  private final ArrayDeque<RecentEvent> events = new ArrayDeque<>();
  private final Map<EdgeKey, LatencyHistogram> byEdge = new HashMap<>();
  private final Map<ProcessKey, LatencyHistogram> byConsumer = new HashMap<>();
  private final Map<ChannelKey, ArrayDeque<RecentEvent>> lastByChannel = new HashMap<>();
  private final Map<ProcessKey, ArrayDeque<RecentEvent>> lastByProcess = new HashMap<>();
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
      if (e.channel() != null) {
        keep(lastByChannel.computeIfAbsent(e.channel(), k -> new ArrayDeque<>()), e);
      }
      keep(lastByProcess.computeIfAbsent(e.actor(), k -> new ArrayDeque<>()), e);
      if (e.source() != null && !e.source().equals(e.actor())) {
        keep(lastByProcess.computeIfAbsent(e.source(), k -> new ArrayDeque<>()), e); // what others took from it
      }
      if (e.role() == Role.CONSUMER && e.latencyNanos() >= 0 && e.source() != null) {
        byEdge.computeIfAbsent(new EdgeKey(e.source(), e.actor(), e.mechanism(), e.channel()),
            k -> new LatencyHistogram()).add(e.latencyNanos());
        byConsumer.computeIfAbsent(e.actor(), k -> new LatencyHistogram()).add(e.latencyNanos());
      }
    }
  }

  private static void keep(ArrayDeque<RecentEvent> last, RecentEvent e) {
    if (last.size() == PER_OBJECT) {
      last.removeFirst();
    }
    last.addLast(e);
  }

  /** Forgets what it keeps of edges, channels and processes the graph no longer has: memory follows the graph's. */
  void retain(Set<EdgeKey> edges, Set<ProcessKey> processes) {
    byEdge.keySet().retainAll(edges);
    byConsumer.keySet().retainAll(processes);
    lastByProcess.keySet().retainAll(processes);
    Set<ChannelKey> channels = new HashSet<>();
    edges.forEach(k -> channels.add(k.channel()));
    lastByChannel.keySet().retainAll(channels);
  }

  /** The next operations are not counted as missed for coming after a gap (the dashboard was paused). */
  void resync() {
    resyncing = true;
  }

  void clear() {
    events.clear();
    lastByChannel.clear();
    lastByProcess.clear();
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

  /**
   * Up to {@code limit} operations about {@code target} (an {@link EdgeKey}, {@link ProcessKey} or {@link ChannelKey})
   * that {@code which} accepts, newest first: from the last operations of all, and from those kept for its channel or
   * processes.
   */
  List<RecentEvent> about(Object target, Predicate<RecentEvent> which, int limit) {
    TreeMap<Long, RecentEvent> bySeq = new TreeMap<>(Comparator.reverseOrder());
    newest(which, limit).forEach(e -> bySeq.put(e.seq(), e));
    List<ArrayDeque<RecentEvent>> kept = new ArrayList<>();
    if (target instanceof EdgeKey edge) {
      kept.add(edge.channel() != null ? lastByChannel.get(edge.channel()) : lastByProcess.get(edge.from()));
      kept.add(edge.channel() != null ? null : lastByProcess.get(edge.to()));
    } else if (target instanceof ProcessKey process) {
      kept.add(lastByProcess.get(process));
    } else if (target instanceof ChannelKey channel) {
      kept.add(lastByChannel.get(channel));
    }
    for (ArrayDeque<RecentEvent> last : kept) {
      if (last != null) {
        last.stream().filter(which).forEach(e -> bySeq.put(e.seq(), e));
      }
    }
    return bySeq.values().stream().limit(limit).toList();
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
