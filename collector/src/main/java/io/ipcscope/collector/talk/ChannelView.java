package io.ipcscope.collector.talk;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.probes.event.Mechanism;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kernel object seen carrying something, with the processes at its ends and their roles, as the edges through
 * it tell: who wrote and who read a pipe, who sent and who received on a queue, who mapped a segment.
 *
 * @param endpoints in the order the edges name them, each process once per role
 * @param maxBacklogBytes the highest fill level (byte streams) or queue depth in bytes (queues) seen
 */
public record ChannelView(ChannelKey channel, Mechanism mechanism, String path, List<Endpoint> endpoints, long bytes,
    long messages, long maxBacklogBytes) {

  /** A process at one end of a channel. */
  public record Endpoint(ProcessKey process, String role) {}

  /** The channels of a graph's edges, in the edges' order (signals go to processes, not through channels). */
  public static List<ChannelView> of(TalkGraph.Snapshot graph) {
    Map<ChannelKey, Builder> byChannel = new LinkedHashMap<>();
    for (Edge e : graph.edges()) {
      if (e.key().channel() == null) {
        continue;
      }
      Builder b = byChannel.computeIfAbsent(e.key().channel(), k -> new Builder(k, e.mechanism(), e.path()));
      String[] roles = roles(e);
      b.add(new Endpoint(e.key().from(), roles[0]));
      b.add(new Endpoint(e.key().to(), roles[1]));
      b.bytes += e.bytes();
      b.messages += e.messages();
      b.maxBacklog = Math.max(b.maxBacklog, e.maxBacklogBytes());
    }
    List<ChannelView> views = new ArrayList<>(byChannel.size());
    byChannel.values().forEach(b -> views.add(b.build()));
    return views;
  }

  /** The roles of an edge's two ends, by what the mechanism does. */
  static String[] roles(Edge e) {
    return switch (e.mechanism()) {
      case PIPE, FIFO, TCP -> new String[] {"writer", "reader"};
      case UNIX_SOCKET, POSIX_MQ, SYSV_MQ, UDP -> new String[] {"sender", "receiver"};
      case POSIX_SHM, SYSV_SHM -> new String[] {"attacher", "attacher"};
      case SEM -> new String[] {"user", "user"};
      case FILE_LOCK -> new String[] {"holder", "holder"};
      default -> new String[] {"peer", "peer"};
    };
  }

  private static final class Builder {
    final ChannelKey channel;
    final Mechanism mechanism;
    final String path;
    final List<Endpoint> endpoints = new ArrayList<>();
    long bytes;
    long messages;
    long maxBacklog;

    Builder(ChannelKey channel, Mechanism mechanism, String path) {
      this.channel = channel;
      this.mechanism = mechanism;
      this.path = path;
    }

    void add(Endpoint endpoint) {
      if (!endpoints.contains(endpoint)) {
        endpoints.add(endpoint);
      }
    }

    ChannelView build() {
      return new ChannelView(channel, mechanism, path, List.copyOf(endpoints), bytes, messages, maxBacklog);
    }
  }
}
