package io.ipcscope.collector.otel;

import io.ipcscope.collector.flow.Pairing;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.Operation;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import java.util.ArrayList;
import java.util.List;

/**
 * One side of a conversation during one window ({@code --spans window}): the operations that one span stands for.
 * Its context exists from the first operation on, so consumers can be parented to it before it is emitted.
 */
final class SpanWindow {

  /**
   * Which operations share a span: a producer's are keyed by the producer process and what it wrote to; a consumer's
   * also by the process that produced what it took ({@code peerPid} 0: not observed). The operation and destination
   * are in the key so that the span's name holds for all of them.
   */
  record Key(SpanKind kind, int pid, long startNanos, int peerPid, long peerStartNanos, Operation op,
      ChannelKey channel, String destination) {}

  final Key key;
  final ResolvedEvent first;
  final SpanContext context;
  final SpanContext parent;
  final int hops;
  /** Kernel time of the first operation: the window closes {@code windowNanos} after it. */
  final long openedNanos;
  long startNanos;
  long endNanos;
  long operations;
  long bytes;
  long failed;
  long unobservedBytes;
  long maxLatencyNanos = -1;
  long maxBacklogBytes;
  Pairing pairing;
  final List<LinkData> links = new ArrayList<>();

  SpanWindow(Key key, ResolvedEvent first, SpanContext context, SpanContext parent, int hops, long startNanos) {
    this.key = key;
    this.first = first;
    this.context = context;
    this.parent = parent;
    this.hops = hops;
    this.openedNanos = first.event().tsNanos();
    this.startNanos = startNanos;
    this.endNanos = startNanos;
  }

  /** Counts one operation of this side, done at {@code atNanos}. */
  void add(ResolvedEvent r, long startNanos) {
    operations++;
    bytes += r.event().bytes();
    if (r.event().failed()) {
      failed++;
    }
    this.startNanos = Math.min(this.startNanos, startNanos);
    this.endNanos = Math.max(endNanos, r.event().tsNanos());
  }

  /** The least certain pairing of the window's consumers wins: exact only when every one of them was. */
  void pairing(Pairing p) {
    if (pairing == null || certainty(p) < certainty(pairing)) {
      pairing = p;
    }
  }

  /** Links a producer window other than the parent, once. */
  void link(SpanContext producer, int maxLinks) {
    if (producer.equals(parent) || links.size() >= maxLinks) {
      return;
    }
    for (LinkData l : links) {
      if (l.getSpanContext().equals(producer)) {
        return;
      }
    }
    links.add(LinkData.create(producer));
  }

  private static int certainty(Pairing p) {
    return switch (p) {
      case EXACT, NONE -> 3;
      case ASSUMED -> 2;
      case PARTIAL -> 1;
      case UNOBSERVED -> 0;
    };
  }
}
