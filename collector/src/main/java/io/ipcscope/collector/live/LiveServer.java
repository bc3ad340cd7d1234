package io.ipcscope.collector.live;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The collector's live interface: newline-delimited JSON over a Unix stream socket (docs/LIVE-API.md). Serves
 * snapshots and watch streams from what the collector's loop {@link #publish publishes}, never from the model itself.
 *
 * <p>Threads: one accepts, one per client reads its requests and writes its answers, one (the dispatcher) turns
 * publications into each watcher's update line. {@link #publish} only stores a reference and wakes the dispatcher:
 * a client that reads slowly fills its own bounded queue and is dropped, it never slows the loop.
 */
public final class LiveServer implements AutoCloseable {

  /**
   * @param queueLines updates a watcher may have waiting before it is dropped (at one publication a second, that
   *     many seconds of not reading)
   * @param maxClients connections served at once; more are told so and closed
   * @param notices where a dropped client's reason goes on the collector's side (one line each)
   */
  public record Options(int queueLines, int maxClients, Consumer<String> notices) {

    public Options {
      Objects.requireNonNull(notices, "notices");
    }

    public static Options defaults(Consumer<String> notices) {
      return new Options(32, 64, notices);
    }
  }

  /**
   * Publications arrive about once a second but not on the millisecond: a watcher asking for 1000 ms must not miss
   * every other one because the last came 999 ms after the one before.
   */
  static final long INTERVAL_SLACK_NANOS = 250_000_000L;
  private static final long DROP_GRACE_NANOS = 1_000_000_000L;
  private static final long DISPATCH_WAKE_NANOS = 200_000_000L;

  private final Path socket;
  private final ServerSocketChannel server;
  private final Options options;
  private final LiveMessages messages;
  private final List<Connection> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger connectionIds = new AtomicInteger();
  private final Thread acceptor;
  private final Thread dispatcher;
  private volatile Published latest;
  private volatile boolean closed;
  /** Only the loop thread's {@link #publish} touches it. */
  private Published previous;

  private LiveServer(Path socket, ServerSocketChannel server, LiveInfo info, Options options) {
    this.socket = socket;
    this.server = server;
    this.options = options;
    this.messages = new LiveMessages(info);
    this.latest = new Published(Publication.none(info.startedMonotonicNanos()), 0);
    this.previous = latest;
    this.acceptor = new Thread(this::accept, "ipcscope-live-accept");
    this.dispatcher = new Thread(this::dispatch, "ipcscope-live-dispatch");
  }

  /**
   * Binds {@code socket} (its directory created 0700, the socket 0600) and starts serving.
   *
   * @throws CollectorRunningException when another collector answers there
   */
  public static LiveServer start(Path socket, LiveInfo info, Options options) throws IOException {
    LiveServer live = new LiveServer(socket, SocketFile.bind(socket), info, options);
    live.acceptor.setDaemon(true);
    live.dispatcher.setDaemon(true);
    live.acceptor.start();
    live.dispatcher.start();
    return live;
  }

  public Path socket() {
    return socket;
  }

  /** Called by the collector's loop: never blocks, whatever the clients do. */
  public void publish(Publication publication) {
    Published next = Published.after(previous, publication);
    previous = next;
    latest = next;
    LockSupport.unpark(dispatcher);
  }

  /** Connections open now (tests, and the summary). */
  public int clients() {
    return connections.size();
  }

  Published latest() {
    return latest;
  }

  LiveMessages messages() {
    return messages;
  }

  Options options() {
    return options;
  }

  void wake() {
    LockSupport.unpark(dispatcher);
  }

  void remove(Connection connection) {
    connections.remove(connection);
  }

  private void accept() {
    while (!closed) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        options.notices().accept("live socket: accept failed: " + e.getMessage());
        LockSupport.parkNanos(100_000_000L); // out of descriptors, say: do not spin
        continue;
      }
      Connection connection = new Connection(connectionIds.incrementAndGet(), channel, this);
      if (connections.size() >= options.maxClients()) {
        connection.refuse("too many clients (" + options.maxClients() + "): try again when one has left");
        continue;
      }
      connections.add(connection);
      connection.start();
    }
  }

  /** Hands each watcher that is due an update computed against what it last received. */
  private void dispatch() {
    while (!closed) {
      Published now = latest;
      long nanos = System.nanoTime();
      for (Connection c : connections) {
        c.offerUpdate(now, nanos);
        c.closeIfDropGraceOver(nanos);
      }
      LockSupport.parkNanos(DISPATCH_WAKE_NANOS);
    }
  }

  static long dropGraceNanos() {
    return DROP_GRACE_NANOS;
  }

  /** Stops serving, closes every connection and removes the socket file. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing a listening socket does not fail in a way worth telling
    }
    for (Connection c : connections) {
      c.close();
    }
    LockSupport.unpark(dispatcher);
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(1));
      dispatcher.join(TimeUnit.SECONDS.toMillis(1));
      Files.deleteIfExists(socket);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      options.notices().accept("live socket: cannot remove " + socket + ": " + e.getMessage());
    }
  }
}
