package io.ipcscope.collector.model;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the model learns about sockets from their set-up and traffic: the names Unix sockets go by, which sockets are
 * connected to which, and the service side of each loopback flow. It names the channel of a transfer whose record
 * could not (a datagram sent by name, a read whose writer closed before we saw it set up, a datagram received without
 * its source) and gives channels their names. Sockets come and go without an event we trace (close), so everything
 * here is bounded, least recently used first out. Not thread-safe.
 */
final class SocketDirectory {

  private static final int MAX = 16_384;
  private static final int SOCK_DGRAM = 2;

  /** Unix: each named socket's name (its own, or its listener's for an accepted one). */
  private final Map<ChannelKey, String> socketNames = Lru.map(MAX);
  /** Unix datagram sockets by the name they are bound to. */
  private final Map<String, ChannelKey> boundNames = Lru.map(MAX);
  /** Unix datagram sockets: where each (by inode) last sent, for a send whose address could not be read. */
  private final Map<Long, Long> lastDestination = Lru.map(MAX);
  /** Unix stream sockets: the sending socket at the other end of each receiving one, both by inode. */
  private final Map<Long, Long> streamPeers = Lru.map(MAX);
  /** Loopback flows: the service side of each pair of endpoints (ascending), whose address names both directions. */
  private final Map<List<Long>, Long> services = Lru.map(MAX);
  /** UDP: the endpoint that last sent to each endpoint, for a datagram received without asking its source. */
  private final Map<Long, Long> lastUdpSender = Lru.map(MAX);

  /** The channel of a record that names none (channel_id 0), when what was learned before names it. */
  Optional<ChannelKey> channelOf(IpcEvent e) {
    if (e.mechanism() == Mechanism.UDP && e.op() == Operation.RECEIVE && e.extra() != 0) {
      // received without its source: from the endpoint that last sent to this one
      return Optional.ofNullable(lastUdpSender.get(e.extra()))
          .map(from -> ChannelKey.inetFlow(Mechanism.UDP, from, e.extra()));
    }
    if (e.mechanism() != Mechanism.UNIX_SOCKET) {
      return Optional.empty();
    }
    if (e.op() == Operation.SEND) {
      // by the name it was sent to; when the probe could not read the name, where this socket sent last
      return e.path().isEmpty() ? Optional.ofNullable(lastDestination.get(e.extra())).map(ChannelKey::unixSocket)
          : Optional.ofNullable(boundNames.get(e.path()));
    }
    if ((e.op() == Operation.READ || e.op() == Operation.RECEIVE) && e.extra() != 0) {
      // the writer closed before the tracer saw it set up: the peer of our socket as its writes named it
      return Optional.ofNullable(streamPeers.get(e.extra())).map(ChannelKey::unixSocket);
    }
    return Optional.empty();
  }

  /** Learns from a socket record: names, connections, services. */
  void learn(IpcEvent e) {
    if (e.mechanism() == Mechanism.UNIX_SOCKET) {
      learnUnix(e);
    } else if (e.mechanism() == Mechanism.TCP || e.mechanism() == Mechanism.UDP) {
      learnService(e);
    }
  }

  /** The name a socket channel goes by: a Unix socket's path or abstract name, a loopback flow's service address. */
  Optional<String> name(ChannelKey channel) {
    return switch (channel.mechanism()) {
      case TCP, UDP -> Optional.ofNullable(services.get(pair(channel.inode(), channel.peer())))
          .map(ChannelKey::endpoint);
      case UNIX_SOCKET -> Optional.ofNullable(socketNames.get(channel));
      default -> Optional.empty();
    };
  }

  /**
   * Unix: names from bind, listen, connect and accept (a bound socket receives datagrams sent to its name, and both
   * directions of a connection take the listener's name), and which sockets are connected to which.
   */
  private void learnUnix(IpcEvent e) {
    if (e.result() < 0 || e.channelId() == 0) {
      return;
    }
    boolean stream = e.status() != SOCK_DGRAM;
    switch (e.op()) {
      case CREATE, CONNECT, ACCEPT -> {
        if (stream && e.extra() != 0) { // socketpair, or a connection whose other end exists
          streamPeers.put(e.channelId(), e.extra());
          streamPeers.put(e.extra(), e.channelId());
        }
      }
      case WRITE -> {
        if (e.extra() != 0) {
          streamPeers.put(e.extra(), e.channelId());
        }
      }
      case SEND -> {
        if (!stream && e.extra() != 0) {
          lastDestination.put(e.extra(), e.channelId());
        }
      }
      default -> { }
    }
    String name = e.path();
    if (name.isEmpty()) {
      return;
    }
    ChannelKey own = ChannelKey.unixSocket(e.channelId());
    switch (e.op()) {
      case BIND, LISTEN -> {
        boundNames.put(name, own);
        socketNames.put(own, name);
      }
      case CONNECT, ACCEPT -> {
        socketNames.put(own, name);
        if (e.extra() != 0) {
          socketNames.put(ChannelKey.unixSocket(e.extra()), name);
        }
      }
      default -> { }
    }
  }

  /** Loopback: connect's remote serves, accept's local end does; a datagram flow serves what was first sent to. */
  private void learnService(IpcEvent e) {
    if (e.result() < 0 || e.channelId() == 0 || e.extra() == 0) {
      return;
    }
    List<Long> pair = pair(e.channelId(), e.extra());
    switch (e.op()) {
      case CONNECT -> services.put(pair, e.extra());
      case ACCEPT -> services.put(pair, e.channelId());
      case SEND -> {
        services.putIfAbsent(pair, e.extra());
        lastUdpSender.put(e.extra(), e.channelId());
      }
      default -> { }
    }
  }

  private static List<Long> pair(long a, long b) {
    return a < b ? List.of(a, b) : List.of(b, a);
  }
}
