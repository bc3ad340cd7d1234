package io.ipcscope.tui;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.SignalFlow;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.probes.event.Operation;
import java.util.List;

/** Small fixed graphs for the dashboard's tests: head[12] writes a pipe cat[13] reads; mqsend[20] sends to mqrecv[21]. */
final class Frames {

  static final long SECOND = 1_000_000_000L;
  static final ProcessKey HEAD = new ProcessKey(12, 100);
  static final ProcessKey CAT = new ProcessKey(13, 101);
  static final ProcessKey MQSEND = new ProcessKey(20, 200);
  static final ProcessKey MQRECV = new ProcessKey(21, 201);
  static final EdgeKey PIPE = new EdgeKey(HEAD, CAT, Mechanism.PIPE, ChannelKey.pipe(4242));
  static final EdgeKey QUEUE = new EdgeKey(MQSEND, MQRECV, Mechanism.SYSV_MQ, ChannelKey.sysvQueue(1, 3));
  static final List<ProcessNode> NODES = List.of(new ProcessNode(HEAD, "head", "/usr/bin/head", 1),
      new ProcessNode(CAT, "cat", "/usr/bin/cat", 1), new ProcessNode(MQSEND, "mqsend", "/opt/mqsend", 5),
      new ProcessNode(MQRECV, "mqrecv", "/opt/mqrecv", 5));

  private Frames() {}

  /** An edge active until {@code lastNanos}, with a mean latency of 15 µs over its messages. */
  static Edge edge(EdgeKey key, long messages, long bytes, long lastNanos) {
    return new Edge(key, "", true, messages, bytes, 0, 0, lastNanos, messages, messages * 15_000, 40_000,
        bytes / 2);
  }

  /** head[12] writes {@code bytes} into the pipe at {@code atNanos}. */
  static RecentEvent write(long seq, long atNanos, long bytes) {
    return new RecentEvent(seq, atNanos, HEAD, "head", 12, Mechanism.PIPE, Operation.WRITE, Role.PRODUCER,
        PIPE.channel(), bytes, null, 13, "cat", -1, 0, (int) bytes, "");
  }

  /** cat[13] reads {@code bytes} of head's at {@code atNanos}, {@code latency} after they were written. */
  static RecentEvent read(long seq, long atNanos, long bytes, long latency, String traceId) {
    return new RecentEvent(seq, atNanos, CAT, "cat", 13, Mechanism.PIPE, Operation.READ, Role.CONSUMER,
        PIPE.channel(), bytes, HEAD, 12, "head", latency, 0, (int) bytes, traceId);
  }

  static TopFrame frame(long atNanos, long events, List<RecentEvent> recent, Edge... edges) {
    CollectorHealth health = new CollectorHealth(events, new long[] {2, 1}, 0, 0, 0, 0, 0, 4, 2, edges.length, 0, 0,
        0, 0, 0);
    return new TopFrame(new TalkGraph.Snapshot(NODES, List.of(edges)), health, atNanos, 0, recent);
  }

  static final ProcessKey SUPERVISOR = new ProcessKey(30, 300);
  static final ProcessKey NGINX = new ProcessKey(31, 301);
  static final ProcessKey KERNEL = new ProcessKey(0, 0);
  static final List<ProcessNode> SIGNAL_NODES = List.of(new ProcessNode(KERNEL, "", "", 0),
      new ProcessNode(SUPERVISOR, "supervisor", "/usr/bin/supervisor", 1),
      new ProcessNode(NGINX, "nginx", "/usr/sbin/nginx", 30));

  /**
   * {@code sent} signals from {@code from} to {@code to}, {@code delivered} of them taken with a mean latency of
   * 25 µs (max 60 µs); of the rest, {@code ignored} ignored and the others queued; active until {@code lastNanos}.
   */
  static SignalFlow flow(ProcessKey from, ProcessKey to, int signal, long sent, long delivered, long ignored,
      long lastNanos) {
    return new SignalFlow(from, to, signal, sent, sent - ignored, 0, ignored, 0, 0, delivered, 0, lastNanos,
        delivered, delivered * 25_000, delivered == 0 ? 0 : 60_000);
  }

  static TopFrame signalFrame(long atNanos, long events, SignalFlow... flows) {
    CollectorHealth health = new CollectorHealth(events, new long[] {2, 1}, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0);
    return new TopFrame(new TalkGraph.Snapshot(SIGNAL_NODES, List.of(), List.of(flows)), health, atNanos, 0);
  }

  static TopFrame frame(long atNanos, long events, Edge... edges) {
    CollectorHealth health = new CollectorHealth(events, new long[] {2, 1}, 0, 0, 0, 0, 0, 4, 2, edges.length, 0, 0,
        0, 0, 0);
    return new TopFrame(new TalkGraph.Snapshot(NODES, List.of(edges)), health, atNanos, 0);
  }
}
