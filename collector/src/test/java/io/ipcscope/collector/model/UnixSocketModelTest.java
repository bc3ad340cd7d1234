package io.ipcscope.collector.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Unix sockets in the model: channels named as users name them, both ends of every transfer resolved. */
class UnixSocketModelTest {

  private static final long MS = 1_000_000L;
  private static final int STREAM = 1;
  private static final int DGRAM = 2;

  private final ChannelTable channels = new ChannelTable();
  private final List<ResolvedEvent> out = new ArrayList<>();
  private final PeerJoiner joiner = new PeerJoiner(new ProcessTable(), channels, 100 * MS, out::add);

  private List<String> resolved() {
    return out.stream().map(r -> r.event().op().id() + ":" + r.event().pid() + ">" + r.peerPid() + "@"
        + (r.channel() == null ? "-" : r.channel().display()) + " " + r.path()).toList();
  }

  /** A client writes before the server accepts, and the server reads after the client closed. */
  @Test
  void aStreamIsOneChannelPerDirectionNamedAfterItsListener() {
    joiner.accept(Events.unixSocket(1 * MS, 10, Operation.BIND, STREAM, 100, 0, 0, 0, "/run/x.sock"));
    joiner.accept(Events.unixSocket(2 * MS, 20, Operation.CONNECT, STREAM, 200, 0, 0, 10, "/run/x.sock"));
    joiner.accept(Events.unixSocket(3 * MS, 20, Operation.WRITE, STREAM, 200, 0, 64, 10, ""));
    joiner.accept(Events.unixSocket(4 * MS, 10, Operation.ACCEPT, STREAM, 101, 200, 0, 20, "/run/x.sock"));
    joiner.accept(Events.unixSocket(5 * MS, 10, Operation.READ, STREAM, 200, 101, 64, 20, ""));
    joiner.accept(Events.unixSocket(6 * MS, 10, Operation.WRITE, STREAM, 101, 200, 8, 20, ""));
    joiner.accept(Events.unixSocket(7 * MS, 20, Operation.READ, STREAM, 101, 200, 8, 10, ""));
    joiner.drain();

    assertThat(resolved()).containsExactly(
        "bind:10>0@socket:[100] /run/x.sock",
        "connect:20>10@socket:[200] /run/x.sock",
        "write:20>10@socket:[200] /run/x.sock",
        "accept:10>20@socket:[101] /run/x.sock",
        "read:10>20@socket:[200] /run/x.sock",
        "write:10>20@socket:[101] /run/x.sock",
        "read:20>10@socket:[101] /run/x.sock");
  }

  /** The kernel lost the writer's inode (closed before tracing saw it set up): its earlier writes named it. */
  @Test
  void aReadWithoutItsWritersInodeFindsItFromTheWrites() {
    joiner.accept(Events.unixSocket(1 * MS, 20, Operation.WRITE, STREAM, 200, 101, 64, 0, ""));
    joiner.accept(Events.unixSocket(2 * MS, 10, Operation.READ, STREAM, 0, 101, 64, 0, ""));
    joiner.drain();

    assertThat(resolved()).containsExactly("write:20>10@socket:[200] ", "read:10>20@socket:[200] ");
  }

  /** Datagrams sent by name reach the socket bound to it; each receive names its sender, in order. */
  @Test
  void datagramsSentToANameArePairedWithTheirReceivesInOrder() {
    joiner.accept(Events.unixSocket(1 * MS, 30, Operation.BIND, DGRAM, 300, 0, 0, 0, "@log"));
    joiner.accept(Events.unixSocket(2 * MS, 41, Operation.SEND, DGRAM, 0, 401, 10, 0, "@log"));
    joiner.accept(Events.unixSocket(3 * MS, 42, Operation.SEND, DGRAM, 0, 402, 20, 0, "@log"));
    joiner.accept(Events.unixSocket(4 * MS, 30, Operation.RECEIVE, DGRAM, 300, 0, 10, 0, ""));
    joiner.accept(Events.unixSocket(5 * MS, 30, Operation.RECEIVE, DGRAM, 300, 0, 20, 0, ""));
    joiner.drain();

    assertThat(resolved()).containsExactly(
        "bind:30>0@socket:[300] @log",
        "send:41>30@socket:[300] @log",
        "send:42>30@socket:[300] @log",
        "receive:30>41@socket:[300] @log",
        "receive:30>42@socket:[300] @log");
    assertThat(out.get(3).waitedNanos()).isEqualTo(2 * MS);
  }

  /** Nobody read what was written while we watched: the kernel's SO_PEERCRED names the other end. */
  @Test
  void anUnansweredWriteFallsBackToThePeerCredentials() {
    joiner.accept(Events.unixSocket(1 * MS, 20, Operation.WRITE, STREAM, 200, 101, 64, 10, ""));
    joiner.flush(1 * MS + 200 * MS);

    assertThat(resolved()).containsExactly("write:20>10@socket:[200] ");
    assertThat(out.get(0).peerGuessed()).isFalse();
  }
}
