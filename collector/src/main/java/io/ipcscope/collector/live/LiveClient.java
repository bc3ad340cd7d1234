package io.ipcscope.collector.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;

/** The client end of the live socket: send a request line, read answer lines. For status, graph and tests. */
public final class LiveClient implements AutoCloseable {

  private final SocketChannel channel;
  private final BufferedReader in;

  private LiveClient(SocketChannel channel) {
    this.channel = channel;
    this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
  }

  /** Connects, or says why not: nobody listens there, or this user may not. */
  public static LiveClient connect(Path socket) throws IOException {
    try {
      return new LiveClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
    } catch (AccessDeniedException e) {
      throw new LiveUnavailableException(LiveUnavailableException.Reason.ACCESS_DENIED, socket, "permission denied");
    } catch (ConnectException e) {
      throw new LiveUnavailableException(LiveUnavailableException.Reason.NO_COLLECTOR, socket, "nobody answers");
    } catch (SocketException e) {
      // the JDK reports EACCES from connect(2) as a BindException, ENOENT as a plain SocketException
      String message = String.valueOf(e.getMessage());
      if (message.contains("Permission denied")) {
        throw new LiveUnavailableException(LiveUnavailableException.Reason.ACCESS_DENIED, socket, message);
      }
      throw new LiveUnavailableException(LiveUnavailableException.Reason.NO_COLLECTOR, socket, message);
    }
  }

  /** Sends one request line ({@code {"request":"snapshot"}}, without the newline). */
  public void send(String request) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** The next line from the collector, null when it closed the connection. */
  public String readLine() throws IOException {
    return in.readLine();
  }

  /** The collector's snapshot line; gives up after {@code timeout} so a wedged collector cannot hang a script. */
  public static String snapshot(Path socket, Duration timeout) throws IOException {
    return snapshot(socket, timeout, -1);
  }

  /**
   * The collector's snapshot line with the recent operations numbered after {@code eventsAfter} ({@code -1}: none);
   * gives up after {@code timeout}.
   */
  public static String snapshot(Path socket, Duration timeout, long eventsAfter) throws IOException {
    try (LiveClient client = connect(socket)) {
      Thread watchdog = new Thread(() -> {
        try {
          Thread.sleep(timeout.toMillis());
          client.close();
        } catch (InterruptedException answered) {
          // the answer came in time
        }
      }, "ipcscope-live-timeout");
      watchdog.setDaemon(true);
      watchdog.start();
      try {
        client.send(eventsAfter < 0 ? "{\"request\":\"snapshot\"}"
            : "{\"request\":\"snapshot\",\"events_after\":" + eventsAfter + "}");
        String line = client.readLine();
        if (line == null) {
          throw new IOException("the collector at " + socket + " closed the connection without an answer");
        }
        return line;
      } catch (java.nio.channels.ClosedChannelException e) {
        throw new IOException("the collector at " + socket + " did not answer within " + timeout.toSeconds() + " s");
      } finally {
        watchdog.interrupt();
      }
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a Unix socket does not fail in a way worth telling
    }
  }
}
