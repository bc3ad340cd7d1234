package io.ipcscope.cli.trace;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.SignalNames;
import io.ipcscope.collector.pipeline.ModelHousekeeping;
import io.ipcscope.collector.proc.ProcHostView;
import io.ipcscope.probes.AggKey;
import io.ipcscope.probes.AggValue;
import io.ipcscope.probes.ProbeSession;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongPredicate;

/**
 * {@code trace --aggregate}: the kernel counts per (process, channel, operation) and emits nothing per event; every
 * interval this prints what changed, one row per channel with its writers and readers named. Events that still
 * arrive one by one (process lifecycle, signals) keep the model current and are counted here.
 */
final class AggregateLoop {

  private static final int SELF = (int) ProcessHandle.current().pid();

  private final ProbeSession session;
  private final ProcessTable processes;
  private final ChannelTable channels;
  private final PrintStream out;
  private final boolean json;
  private final long intervalNanos;
  private final TraceSummary summary;
  private final MonotonicClock clock = new MonotonicClock();
  private Map<AggKey, AggValue> previous = Map.of();
  private final Map<String, long[]> signalCounts = new TreeMap<>();
  /**
   * Transfers the kernel sends one by one even in aggregate mode, counted here over the interval: datagrams sent by
   * name to a Unix socket bound before tracing began.
   */
  private Map<ChannelKey, ChannelRow> evented = new HashMap<>();

  AggregateLoop(ProbeSession session, ProcessTable processes, ChannelTable channels, PrintStream out, boolean json,
      double intervalSeconds, TraceSummary summary) {
    this.session = session;
    this.processes = processes;
    this.channels = channels;
    this.out = out;
    this.json = json;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
    this.summary = summary;
  }

  void run(java.util.function.BooleanSupplier stopRequested, long deadlineNanos) {
    LongPredicate over = now -> stopRequested.getAsBoolean() || (deadlineNanos != 0 && now - deadlineNanos >= 0);
    long nextReport = System.nanoTime() + intervalNanos;
    ModelHousekeeping housekeeping = new ModelHousekeeping(processes, channels, ProcHostView.system());
    while (!over.test(System.nanoTime())) {
      session.poll(this::onEvent, 50);
      if (System.nanoTime() - nextReport >= 0) {
        report();
        // after the report, which needs the processes that exited in the interval to forget their rows
        housekeeping.maybeRun(System.nanoTime());
        nextReport += intervalNanos;
        if (out.checkError()) {
          break; // the reader of our output is gone
        }
      }
    }
    while (session.poll(this::onEvent, 0) > 0) {
      // everything the kernel wrote before we stopped
    }
    report();
  }

  private void onEvent(IpcEvent e) {
    processes.apply(e);
    channels.apply(e);
    boolean transfer = e.op() == Operation.SEND || e.op() == Operation.WRITE || e.op() == Operation.RECEIVE
        || e.op() == Operation.READ;
    boolean evented = e.mechanism() == Mechanism.UNIX_SOCKET && e.channelId() == 0;
    if (transfer && evented) {
      channels.channelFor(e).ifPresent(channel -> countEvented(channel, e));
    }
    boolean sentOrRaised = e.op() == Operation.SEND || e.op() == Operation.GENERATE;
    if (e.mechanism() == Mechanism.SIGNAL && sentOrRaised && e.pid() != SELF && e.peerPid() != SELF) {
      String key = e.pid() + ">" + e.peerPid() + ">" + e.aux();
      signalCounts.computeIfAbsent(key, k -> new long[1])[0]++;
    }
  }

  private void countEvented(ChannelKey channel, IpcEvent e) {
    evented.computeIfAbsent(channel, k -> new ChannelRow()).add(e.pid(), e.op(), 1, e.bytes(), e.result() < 0 ? 1 : 0);
  }

  /** Totals per channel over the interval: writes and reads with their processes. */
  private static final class ChannelRow {
    final TreeSet<Integer> writers = new TreeSet<>();
    final TreeSet<Integer> readers = new TreeSet<>();
    long writes;
    long writeBytes;
    long reads;
    long readBytes;
    long errors;

    void add(int pid, Operation op, long count, long bytes, long errorCount) {
      if (op == Operation.WRITE || op == Operation.SEND) { // a queue's sends are its writes
        writers.add(pid);
        writes += count;
        writeBytes += bytes;
      } else {
        readers.add(pid);
        reads += count;
        readBytes += bytes;
      }
      errors += errorCount;
    }

    void addAll(ChannelRow other) {
      writers.addAll(other.writers);
      readers.addAll(other.readers);
      writes += other.writes;
      writeBytes += other.writeBytes;
      reads += other.reads;
      readBytes += other.readBytes;
      errors += other.errors;
    }
  }

  private void report() {
    Map<AggKey, AggValue> now = session.aggregates();
    Map<ChannelKey, ChannelRow> rows = new TreeMap<>(
        (a, b) -> a.mechanism() != b.mechanism() ? a.mechanism().compareTo(b.mechanism())
            : a.inode() != b.inode() ? Long.compare(a.inode(), b.inode())
            : a.peer() != b.peer() ? Long.compare(a.peer(), b.peer()) : Integer.compare(a.dev(), b.dev()));
    for (Map.Entry<AggKey, AggValue> entry : now.entrySet()) {
      AggKey key = entry.getKey();
      AggValue before = previous.get(key);
      long count = entry.getValue().count() - (before == null ? 0 : before.count());
      if (count == 0) {
        continue;
      }
      ChannelKey channel = channelOf(key);
      if (channel == null) {
        continue; // only transfers on channels are counted in the kernel (probes/src/main/bpf/README.md)
      }
      long bytes = entry.getValue().bytes() - (before == null ? 0 : before.bytes());
      long errors = entry.getValue().errors() - (before == null ? 0 : before.errors());
      if (channels.isWrittenBy(channel, SELF)) {
        continue; // our own output, read by a pager or grep: counting it would feed on itself
      }
      rows.computeIfAbsent(channel, k -> new ChannelRow()).add(key.pid(), key.op(), count, bytes, errors);
      summary.add(key.mechanism(), count);
    }
    evented.forEach((channel, row) -> {
      if (!channels.isWrittenBy(channel, SELF)) {
        rows.computeIfAbsent(channel, k -> new ChannelRow()).addAll(row);
        summary.add(channel.mechanism(), row.writes + row.reads);
      }
    });
    evented = new HashMap<>();
    previous = new HashMap<>(now);
    forgetExited(now);
    long ts = System.nanoTime();
    if (!json && (!rows.isEmpty() || !signalCounts.isEmpty())) {
      out.printf("--- %tT ---%n", clock.toEpochMillis(ts));
    }
    if (!json && !rows.isEmpty()) {
      out.printf("%-8s %-26s %-24s %-24s %8s %12s %8s %12s %6s%n",
          "MECH", "CHANNEL", "WRITERS", "READERS", "WRITES", "W_BYTES", "READS", "R_BYTES", "ERRORS");
    }
    rows.forEach((channel, row) -> printChannel(ts, channel, row));
    if (!json && !signalCounts.isEmpty()) {
      out.printf("%-8s %-26s %-24s %-24s %8s%n", "MECH", "SIGNAL", "SENDER", "TARGET", "COUNT");
    }
    signalCounts.forEach((key, count) -> printSignal(ts, key, count[0]));
    signalCounts.keySet().forEach(k -> summary.add(Mechanism.SIGNAL, signalCounts.get(k)[0]));
    signalCounts.clear();
    out.flush();
  }

  /** A row's channel; a loopback flow's receiving endpoint is split over peer_pid (low bits) and aux (inet.bpf.h). */
  private static ChannelKey channelOf(AggKey key) {
    if (key.mechanism() == Mechanism.TCP || key.mechanism() == Mechanism.UDP) {
      long to = ((long) key.aux() << 32) | (key.peerPid() & 0xffffffffL);
      return ChannelKey.inetFlow(key.mechanism(), key.channelId(), to);
    }
    return ChannelKey.of(key.mechanism(), key.channelDev(), key.channelId()).orElse(null);
  }

  /**
   * Rows of processes that have exited will not change again: once reported they are deleted from the kernel map,
   * which would otherwise fill up on a long run (new rows are then refused and counted as lost).
   */
  private void forgetExited(Map<AggKey, AggValue> reported) {
    java.util.List<AggKey> done = reported.keySet().stream()
        .filter(k -> processes.get(k.pid())
            .map(p -> !p.alive() && p.key().equals(ProcessKey.fromKernel(k.pid(), k.startNanos())))
            .orElse(false))
        .toList();
    if (!done.isEmpty()) {
      session.forgetAggregates(done);
      done.forEach(previous::remove);
    }
  }

  private String names(TreeSet<Integer> pids) {
    if (pids.isEmpty()) {
      return "-";
    }
    StringBuilder s = new StringBuilder();
    for (int p : pids) {
      s.append(s.length() == 0 ? "" : ",").append(processes.comm(p)).append('[').append(p).append(']');
    }
    return s.toString();
  }

  private void printChannel(long ts, ChannelKey channel, ChannelRow row) {
    String shown = channels.path(channel).orElse(channel.display());
    if (!json) {
      out.printf("%-8s %-26s %-24s %-24s %8d %12d %8d %12d %6d%n", channel.mechanism().id(), shown,
          names(row.writers), names(row.readers), row.writes, row.writeBytes, row.reads, row.readBytes, row.errors);
      return;
    }
    StringBuilder s = new StringBuilder("{\"ts_ns\":").append(ts);
    JsonFormatter.string(s, "mechanism", channel.mechanism().id());
    JsonFormatter.string(s, "op", "aggregate");
    JsonFormatter.string(s, "channel", channel.display());
    channels.path(channel).ifPresent(p -> JsonFormatter.string(s, "path", p));
    s.append(",\"writers\":").append(pidList(row.writers)).append(",\"readers\":").append(pidList(row.readers));
    s.append(",\"writes\":").append(row.writes).append(",\"write_bytes\":").append(row.writeBytes);
    s.append(",\"reads\":").append(row.reads).append(",\"read_bytes\":").append(row.readBytes);
    s.append(",\"errors\":").append(row.errors).append('}');
    out.println(s);
  }

  private String pidList(TreeSet<Integer> pids) {
    StringBuilder s = new StringBuilder("[");
    for (int p : pids) {
      s.append(s.length() == 1 ? "" : ",").append("{\"pid\":").append(p);
      JsonFormatter.string(s, "comm", processes.comm(p));
      s.append('}');
    }
    return s.append(']').toString();
  }

  private void printSignal(long ts, String key, long count) {
    String[] parts = key.split(">");
    int sender = Integer.parseInt(parts[0]);
    int target = Integer.parseInt(parts[1]);
    String signal = SignalNames.name(Integer.parseInt(parts[2]));
    if (!json) {
      out.printf("%-8s %-26s %-24s %-24s %8d%n", "signal", signal,
          sender == 0 ? "[kernel]" : processes.comm(sender) + "[" + sender + "]",
          processes.comm(target) + "[" + target + "]", count);
      return;
    }
    StringBuilder s = new StringBuilder("{\"ts_ns\":").append(ts);
    JsonFormatter.string(s, "mechanism", "signal");
    JsonFormatter.string(s, "op", "aggregate");
    s.append(",\"pid\":").append(sender);
    JsonFormatter.string(s, "comm", processes.comm(sender));
    s.append(",\"peer_pid\":").append(target);
    JsonFormatter.string(s, "peer_comm", processes.comm(target));
    JsonFormatter.string(s, "signal", signal);
    s.append(",\"count\":").append(count).append('}');
    out.println(s);
  }
}
