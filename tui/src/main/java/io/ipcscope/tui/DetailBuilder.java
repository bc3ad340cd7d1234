package io.ipcscope.tui;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.ChannelView;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.RecentEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Builds the detail pane's content for an edge, a process or a channel from the model's frame and event log. */
final class DetailBuilder {

  /** More than a tall terminal shows; the pane takes what fits. */
  static final int RECENT = 60;
  static final int TRACES = 4;

  private final TopFrame frame;
  private final Map<EdgeKey, EdgeHistory> histories;
  private final EventLog events;
  private final Map<ProcessKey, ProcessNode> nodes;
  private final Function<RecentEvent, EventRow> rowOf;
  private final Function<Long, String> clock;

  DetailBuilder(TopFrame frame, Map<EdgeKey, EdgeHistory> histories, EventLog events,
      Map<ProcessKey, ProcessNode> nodes, Function<RecentEvent, EventRow> rowOf, Function<Long, String> clock) {
    this.frame = frame;
    this.histories = histories;
    this.events = events;
    this.nodes = nodes;
    this.rowOf = rowOf;
    this.clock = clock;
  }

  /** The detail of {@code target}, an {@link EdgeKey}, {@link ProcessKey} or {@link ChannelKey}. */
  Detail of(Object target) {
    if (target instanceof EdgeKey key) {
      return edge(key);
    }
    if (target instanceof ProcessKey key) {
      return process(key);
    }
    return channel((ChannelKey) target);
  }

  private Detail edge(EdgeKey key) {
    Edge e = frame.graph().edges().stream().filter(x -> x.key().equals(key)).findFirst().orElse(null);
    EdgeHistory h = histories.get(key);
    String title = label(key.from()) + (key.channel() == null || e == null || e.directed() ? " → " : " ↔ ")
        + label(key.to()) + "  " + TopRenderer.mechanismName(key.mechanism())
        + (key.channel() == null ? "" : "  " + key.channel().display());
    List<String> facts = new ArrayList<>();
    if (e == null) {
      facts.add("gone: the collector no longer has this edge");
    } else {
      if (!e.path().isEmpty()) {
        facts.add("path " + e.path());
      }
      facts.add("messages " + e.messages() + (h == null ? "" : " (" + Units.count(h.messagesPerSec) + "/s)"));
      facts.add("bytes " + Units.bytes(e.bytes()) + (h == null ? "" : " (" + Units.bytes(h.bytesPerSec) + "/s)"));
      if (e.latencyCount() > 0) {
        facts.add("latency mean " + Units.latency(e.latencyMeanNanos()) + " max " + Units.latency(e.latencyMaxNanos()));
      }
      if (e.maxBacklogBytes() > 0) {
        facts.add("backlog max " + Units.bytes(e.maxBacklogBytes()));
      }
      if (e.unobservedBytes() > 0) {
        facts.add("unobserved " + Units.bytes(e.unobservedBytes()) + " (writes not seen)");
      }
      facts.add("first seen " + clock.apply(e.firstNanos()));
      String ago = Units.ago(Math.max(0, frame.atNanos() - e.lastNanos()));
      facts.add("last seen " + (ago.equals("now") ? "now" : ago + " ago"));
    }
    LatencyHistogram latency = events.edge(key);
    return detail(key, title, facts, latency, latency.total() + " consumed along it since top started",
        r -> r.on(key));
  }

  private Detail process(ProcessKey key) {
    ProcessNode n = nodes.get(key);
    List<String> facts = new ArrayList<>();
    if (n != null) {
      if (!n.exe().isEmpty()) {
        facts.add("exe " + n.exe());
      }
      if (!n.details().commandLine().isEmpty()) {
        facts.add("cmdline " + n.details().commandLine());
      }
      if (n.parentPid() != 0) {
        facts.add("parent " + nodes.values().stream().filter(p -> p.key().pid() == n.parentPid())
            .map(ProcessNode::label).findFirst().orElse(Integer.toString(n.parentPid())));
      }
      if (n.details().uid() >= 0) {
        facts.add("uid " + n.details().uid());
      }
      if (!n.details().containerId().isEmpty()) {
        facts.add("container " + n.details().containerId());
      }
      if (n.jvm()) {
        facts.add("runtime JVM");
      }
    }
    long in = frame.graph().edges().stream().filter(e -> e.key().to().equals(key)).count();
    long out = frame.graph().edges().stream().filter(e -> e.key().from().equals(key)).count();
    facts.add("edges " + in + " in, " + out + " out");
    LatencyHistogram latency = events.consumer(key);
    return detail(key, label(key), facts, latency, latency.total() + " it consumed since top started",
        r -> r.actor().equals(key) || key.equals(r.source()));
  }

  private Detail channel(ChannelKey key) {
    ChannelView c = ChannelView.of(frame.graph()).stream().filter(v -> v.channel().equals(key)).findFirst()
        .orElse(null);
    List<String> facts = new ArrayList<>();
    LatencyHistogram latency = new LatencyHistogram();
    for (Edge e : frame.graph().edges()) {
      if (key.equals(e.key().channel())) {
        latency.addAll(events.edge(e.key()));
      }
    }
    String title = key.display();
    if (c == null) {
      facts.add("gone: the collector no longer has this channel");
    } else {
      title += "  " + TopRenderer.mechanismName(c.mechanism());
      if (!c.path().isEmpty()) {
        facts.add("path " + c.path());
      }
      facts.add("ends " + c.endpoints().stream().map(p -> p.role() + " " + label(p.process()))
          .collect(Collectors.joining(", ")));
      facts.add("messages " + c.messages());
      facts.add("bytes " + Units.bytes(c.bytes()));
      if (c.maxBacklogBytes() > 0) {
        facts.add("backlog max " + Units.bytes(c.maxBacklogBytes()));
      }
    }
    return detail(key, title, facts, latency, latency.total() + " consumed from it since top started",
        r -> key.equals(r.channel()));
  }

  private Detail detail(Object target, String title, List<String> facts, LatencyHistogram latency, String latencyOf,
      Predicate<RecentEvent> which) {
    List<RecentEvent> recent = events.about(target, which, EventLog.CAPACITY);
    Set<String> traces = new LinkedHashSet<>();
    for (RecentEvent r : recent) {
      if (!r.traceId().isEmpty() && traces.size() < TRACES) {
        traces.add(r.traceId());
      }
    }
    String note = !traces.isEmpty() ? ""
        : frame.health().spansMade() == 0 ? "none: top alone makes no spans; run ipcscope collect, then top --connect"
        : recent.isEmpty() ? "none: no operation of it kept" : "none among its last operations";
    List<EventRow> rows = recent.stream().limit(RECENT).map(rowOf).collect(Collectors.toList());
    return new Detail(title, List.copyOf(facts), latency, latencyOf, List.copyOf(rows), List.copyOf(traces), note);
  }

  /** As the views name it; a peer known only by pid (start time 0) by the process the frame has with that pid. */
  private String label(ProcessKey key) {
    if (!nodes.containsKey(key)) {
      return nodes.values().stream().filter(p -> p.key().pid() == key.pid()).findFirst()
          .map(ProcessNode::label).orElseGet(() -> Labels.of(nodes, key));
    }
    return Labels.of(nodes, key);
  }
}
