package io.ipcscope.collector.live;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One client of the live server, on its own thread: reads request lines, answers snapshots, and for a watch writes
 * the update lines the dispatcher queues for it. Bad input ends the connection with one error line.
 */
final class Connection {

  /** Queued after the last line: the thread stops writing. */
  private static final byte[] END = new byte[0];
  /** Requests are tiny; a client streaming bytes without a newline is not making one. */
  static final int MAX_REQUEST_BYTES = 4096;

  private final int id;
  private final SocketChannel channel;
  private final LiveServer server;
  private final BlockingQueue<byte[]> queue;
  private final Thread thread;
  private final InputStream in;
  /** Set by this connection's thread when it starts a watch; read by the dispatcher. */
  private volatile Watch watch;
  /** Nonzero once dropped: when the dispatcher closes the connection if its error line has not gone out. */
  private volatile long closeAtNanos;

  /** The dispatcher's state for a watching connection; only the dispatcher touches it after creation. */
  private static final class Watch {
    final long intervalNanos;
    final WatchView view = new WatchView();
    long lastSeq = -1;
    long lastPublishedNanos;

    Watch(long intervalMillis) {
      this.intervalNanos = intervalMillis * 1_000_000L;
    }
  }

  Connection(int id, SocketChannel channel, LiveServer server) {
    this.id = id;
    this.channel = channel;
    this.server = server;
    // two places beyond the limit: a dropped client still gets its reason and the end mark
    this.queue = new ArrayBlockingQueue<>(server.options().queueLines() + 2);
    this.in = new BufferedInputStream(Channels.newInputStream(channel));
    this.thread = new Thread(this::run, "ipcscope-live-client-" + id);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      String line;
      while ((line = readLine(in)) != null) {
        if (line.isBlank()) {
          continue;
        }
        Request request;
        try {
          request = Request.parse(line);
        } catch (Request.BadRequest e) {
          write(LiveMessages.error(e.getMessage()));
          return;
        }
        if (request.kind() == Request.Kind.SNAPSHOT) {
          write(server.messages().snapshot(server.latest(), System.nanoTime(), request.eventsAfter()));
        } else {
          watch = new Watch(request.intervalMillis());
          server.wake(); // the first update, with everything, goes out now rather than at the next publication
          stream();
          return;
        }
      }
    } catch (LineTooLong e) {
      skipRestOfLine(); // closing on unread input would reset the connection before the client reads why
      writeQuietly(LiveMessages.error("request longer than " + MAX_REQUEST_BYTES + " bytes: send one short JSON "
          + "object per line"));
    } catch (IOException | InterruptedException e) {
      // the client left, or was dropped, or the server is closing: nothing to tell anyone
    } finally {
      close();
      server.remove(this);
    }
  }

  private void stream() throws IOException, InterruptedException {
    while (true) {
      byte[] line = queue.take();
      if (line == END) {
        return;
      }
      write(line);
    }
  }

  /** Dispatcher thread: queues this watcher's next update if it is due, or drops it when its queue is full. */
  void offerUpdate(Published latest, long nowNanos) {
    Watch w = watch;
    Publication p = latest.publication();
    if (w == null || closeAtNanos != 0 || p.seq() <= w.lastSeq) {
      return;
    }
    boolean first = w.lastSeq < 0;
    if (!first && p.monotonicNanos() - w.lastPublishedNanos + LiveServer.INTERVAL_SLACK_NANOS < w.intervalNanos) {
      return;
    }
    if (queue.remainingCapacity() <= 2) {
      drop("it read too slowly: " + (queue.size()) + " updates were waiting", nowNanos);
      return;
    }
    queue.add(server.messages().update(latest, w.view.advance(p.graph()), nowNanos));
    w.lastSeq = p.seq();
    w.lastPublishedNanos = p.monotonicNanos();
  }

  private void drop(String reason, long nowNanos) {
    queue.clear();
    queue.add(LiveMessages.error("dropped: " + reason + "; reconnect and watch again to resynchronize"));
    queue.add(END);
    closeAtNanos = nowNanos + LiveServer.dropGraceNanos();
    server.options().notices().accept("live socket: client " + id + " dropped: " + reason);
  }

  /** Dispatcher thread: a dropped client that still has not taken its error line is cut off. */
  void closeIfDropGraceOver(long nowNanos) {
    long at = closeAtNanos;
    if (at != 0 && nowNanos - at >= 0) {
      close();
    }
  }

  /** Over the limit of clients: one error line, without waiting on the client, and closed. */
  void refuse(String reason) {
    try {
      channel.configureBlocking(false);
      channel.write(ByteBuffer.wrap(LiveMessages.error(reason)));
    } catch (IOException ignored) {
      // it will see the connection close
    }
    close();
  }

  void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a Unix socket does not fail in a way worth telling
    }
    queue.offer(END); // wakes the thread if it waits for an update
  }

  private void write(byte[] line) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(line);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private void writeQuietly(byte[] line) {
    try {
      write(line);
    } catch (IOException ignored) {
      // the client is gone
    }
  }

  /** Up to 1 MiB of the rest of an overlong line; beyond that the client is not listening anyway. */
  private void skipRestOfLine() {
    try {
      for (int i = 0, b = 0; i < 1 << 20 && b != '\n' && b != -1; i++) {
        b = in.read();
      }
    } catch (IOException ignored) {
      // gone
    }
  }

  /** One line without its newline; null at end of input. */
  private static String readLine(InputStream in) throws IOException {
    byte[] buffer = new byte[256];
    int length = 0;
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (length == MAX_REQUEST_BYTES) {
        throw new LineTooLong();
      }
      if (length == buffer.length) {
        buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
      }
      buffer[length++] = (byte) b;
    }
    if (b == -1 && length == 0) {
      return null;
    }
    return new String(buffer, 0, length, StandardCharsets.UTF_8);
  }

  private static final class LineTooLong extends IOException {
    LineTooLong() {
      super(null, null);
    }
  }
}
