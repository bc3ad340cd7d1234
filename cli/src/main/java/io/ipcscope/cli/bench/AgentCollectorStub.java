package io.ipcscope.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The collector's end of the agent protocol (docs/AGENT.md), as cheap as it can be: welcomes every agent (choosing
 * protocol 2 when it offers it, as the collector does) and counts the operations each sends by mechanism and
 * operation, with their bytes, one by one and in summaries, so that the bench knows the agent under test reported
 * what the workload did. Reads each line as text; nothing is kept.
 */
final class AgentCollectorStub implements AutoCloseable {

  /** What one agent sent: operations by "mechanism operation", their bytes, and whether it has hung up. */
  static final class Sent {
    final Map<String, long[]> ops = new ConcurrentHashMap<>();
    final CountDownLatch closed = new CountDownLatch(1);
    /** The agent's own count of operations it dropped (its queue full), from its last mark. */
    volatile long dropped;
    /** Summary lines: operations the agent folded per stream and window. */
    volatile long summaries;

    long dropped() {
      return dropped;
    }

    long count(String mechanism, String operation) {
      long[] c = ops.get(mechanism + " " + operation);
      return c == null ? 0 : c[0];
    }

    long bytes(String mechanism, String operation) {
      long[] c = ops.get(mechanism + " " + operation);
      return c == null ? 0 : c[1];
    }

    /** "pipe read 120000, pipe write 120000, process spawn 1", sorted. */
    String summary() {
      StringBuilder out = new StringBuilder();
      new TreeMap<>(ops).forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append(' ').append(v[0]));
      if (summaries > 0) {
        out.append(" (").append(summaries).append(" summaries)");
      }
      return out.length() == 0 ? "nothing" : out.toString();
    }

    /** Waits for the agent to hang up (its JVM exits after flushing); false on time-out. */
    boolean awaitClosed(long millis) throws InterruptedException {
      return closed.await(millis, TimeUnit.MILLISECONDS);
    }
  }

  private final Path path;
  private final ServerSocketChannel server;
  private final Map<Long, Sent> byPid = new ConcurrentHashMap<>();

  AgentCollectorStub(Path path) throws IOException {
    this.path = path;
    Files.deleteIfExists(path);
    this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    Thread acceptor = new Thread(this::accept, "agent-collector-stub");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  Path path() {
    return path;
  }

  /** What the agent of process {@code pid} sent, once it said hello; null before. */
  Sent of(long pid) {
    return byPid.get(pid);
  }

  private void accept() {
    while (server.isOpen()) {
      try {
        SocketChannel client = server.accept();
        Thread reader = new Thread(() -> read(client), "agent-collector-stub-reader");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void read(SocketChannel client) {
    Sent sent = null;
    try (client;
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
            StandardCharsets.UTF_8), 1 << 16)) {
      OutputStream out = Channels.newOutputStream(client);
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("{\"type\":\"op\"")) {
          if (sent != null) {
            long[] c = sent.ops.computeIfAbsent(field(line, "mechanism") + " " + field(line, "operation"),
                k -> new long[2]);
            c[0]++;
            c[1] += Long.parseLong(number(line, "bytes"));
          }
        } else if (line.startsWith("{\"type\":\"summary\"")) {
          if (sent != null) {
            long[] c = sent.ops.computeIfAbsent(field(line, "mechanism") + " " + field(line, "operation"),
                k -> new long[2]);
            c[0] += Long.parseLong(number(line, "count"));
            c[1] += Math.max(0, Long.parseLong(number(line, "bytes")));
            sent.summaries++;
          }
        } else if (line.startsWith("{\"type\":\"mark\"")) {
          if (sent != null) {
            sent.dropped = Long.parseLong(number(line, "dropped"));
          }
        } else if (line.startsWith("{\"type\":\"hello\"")) {
          sent = new Sent();
          byPid.put(Long.parseLong(number(line, "pid")), sent);
          String welcome = line.contains("\"max_protocol\":") && Long.parseLong(number(line, "max_protocol")) >= 2
              ? "{\"type\":\"welcome\",\"collector\":\"bench\",\"protocol\":2}\n"
              : "{\"type\":\"welcome\",\"collector\":\"bench\"}\n";
          out.write(welcome.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (IOException | RuntimeException e) {
      // the agent's JVM went away
    } finally {
      if (sent != null) {
        sent.closed.countDown();
      }
    }
  }

  /** The string value of {@code "key":"..."} in a line of the agent's JSON (its values here have no quotes). */
  static String field(String line, String key) {
    int at = line.indexOf("\"" + key + "\":\"");
    if (at < 0) {
      return "?";
    }
    int start = at + key.length() + 4;
    return line.substring(start, line.indexOf('"', start));
  }

  /** The number after {@code "key":}. */
  static String number(String line, String key) {
    int at = line.indexOf("\"" + key + "\":");
    if (at < 0) {
      return "0";
    }
    int start = at + key.length() + 3;
    int end = start;
    while (end < line.length() && (Character.isDigit(line.charAt(end)) || line.charAt(end) == '-')) {
      end++;
    }
    return line.substring(start, end);
  }

  @Override
  public void close() throws IOException {
    server.close();
    Files.deleteIfExists(path);
  }
}
