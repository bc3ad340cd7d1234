package io.ipcscope.collector.talk;

import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.probes.event.IpcEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The signals between processes, one {@link SignalFlow} per sender, target and signal number: what was sent, what
 * the kernel made of each (queued, ignored, merged, refused), what the target took, and how long that took.
 * {@link TalkGraph} feeds it and names the processes.
 *
 * <p>Bounded: flows idle longer than the graph's TTL go with its idle edges, and beyond {@link #MAX_FLOWS} the
 * least recently active flow is forgotten (every exiting child raises a SIGCHLD, most of them ignored, so a busy
 * host makes new flows as fast as it makes processes). Both are counted in {@link #evicted()}.
 *
 * <p>Not thread-safe: the graph's owner thread feeds it.
 */
final class SignalFlows {

  static final int MAX_FLOWS = 4096;

  /** signal_status of a generation (ipcscope.h, enum signal_status). */
  private static final int QUEUED = 0;
  private static final int IGNORED = 1;
  private static final int ALREADY_PENDING = 2;
  private static final int LOSE_INFO = 4;
  private static final int BLOCKED = 5;
  private static final int NOTHING = 255;

  private static final class Tally {
    final long firstNanos;
    long lastNanos;
    long sent;
    long queued;
    long blocked;
    long ignored;
    long merged;
    long failed;
    long delivered;
    long latencyCount;
    long latencySum;
    long latencyMax;

    Tally(long firstNanos) {
      this.firstNanos = firstNanos;
    }
  }

  private long evicted;
  /** In access order, so the flow evicted at the cap is the one least recently active. */
  private final Map<SignalFlow.Key, Tally> flows = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<SignalFlow.Key, Tally> eldest) {
      if (size() > MAX_FLOWS) {
        evicted++;
        return true;
      }
      return false;
    }
  };

  /** A send or kernel generation that generated a signal: its outcome from the event's signal_status. */
  void generated(ProcessKey from, ProcessKey to, IpcEvent e) {
    if (e.status() == NOTHING) {
      return; // the call succeeded and generated nothing (its target was exiting): neither sent nor refused
    }
    Tally t = tally(new SignalFlow.Key(from, to, e.aux()), e.tsNanos());
    t.sent++;
    switch (e.status()) {
      case QUEUED, LOSE_INFO -> t.queued++;
      case BLOCKED -> {
        t.queued++;
        t.blocked++;
      }
      case IGNORED -> t.ignored++;
      case ALREADY_PENDING -> t.merged++;
      default -> t.failed++; // overflow_fail comes as a failed event (failed()); an unknown outcome is no success
    }
  }

  /** A send the kernel refused (the syscall failed, or the realtime signal queue was full). */
  void failed(ProcessKey from, ProcessKey to, IpcEvent e) {
    Tally t = tally(new SignalFlow.Key(from, to, e.aux()), e.tsNanos());
    t.sent++;
    t.failed++;
  }

  /**
   * The target took a signal; {@code latencyNanos} since its generation, or negative when its generation was not
   * seen (or was recorded a few microseconds after it, on another CPU: no measurement).
   */
  void delivered(ProcessKey from, ProcessKey to, IpcEvent e, long latencyNanos) {
    SignalFlow.Key key = new SignalFlow.Key(from, to, e.aux());
    if (!flows.containsKey(key) && to.startTicks() != 0) {
      // The send was counted before the target's start time was known (only its pid was); one flow, not two.
      Tally early = flows.remove(new SignalFlow.Key(from, new ProcessKey(to.pid(), 0), e.aux()));
      if (early != null) {
        flows.put(key, early);
      }
    }
    Tally t = tally(key, e.tsNanos());
    t.delivered++;
    if (latencyNanos >= 0) {
      t.latencyCount++;
      t.latencySum += latencyNanos;
      t.latencyMax = Math.max(t.latencyMax, latencyNanos);
    }
  }

  private Tally tally(SignalFlow.Key key, long nowNanos) {
    Tally t = flows.computeIfAbsent(key, k -> new Tally(nowNanos));
    t.lastNanos = Math.max(t.lastNanos, nowNanos);
    return t;
  }

  /** Forgets flows idle since before {@code cutoffNanos}. */
  void evictIdle(long cutoffNanos) {
    for (Iterator<Tally> it = flows.values().iterator(); it.hasNext(); ) {
      if (it.next().lastNanos < cutoffNanos) {
        it.remove();
        evicted++;
      }
    }
  }

  /** Flows forgotten so far, idle or beyond the cap. */
  long evicted() {
    return evicted;
  }

  /** Adds the sender and target of every flow to {@code ends}. */
  void ends(Set<ProcessKey> ends) {
    for (SignalFlow.Key k : flows.keySet()) {
      ends.add(k.from());
      ends.add(k.to());
    }
  }

  /** Every flow, sorted by sender, target and signal number so output is reproducible. */
  List<SignalFlow> snapshot() {
    List<SignalFlow> list = new ArrayList<>(flows.size());
    flows.forEach((k, t) -> list.add(new SignalFlow(k.from(), k.to(), k.signal(), t.sent, t.queued, t.blocked,
        t.ignored, t.merged, t.failed, t.delivered, t.firstNanos, t.lastNanos, t.latencyCount, t.latencySum,
        t.latencyMax)));
    list.sort(ORDER);
    return List.copyOf(list);
  }

  static final Comparator<SignalFlow> ORDER = Comparator.comparing(SignalFlow::from, TalkGraph.PROCESS_ORDER)
      .thenComparing(SignalFlow::to, TalkGraph.PROCESS_ORDER).thenComparingInt(SignalFlow::signal);
}
