package io.ipcscope.agent.export;

import io.ipcscope.agent.capture.IpcOp;
import io.ipcscope.agent.capture.OpQueue;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The connection to the local collector's agent socket (docs/AGENT.md): a hello naming this process, which the
 * collector checks against the socket's peer credentials, then one line per operation and a mark after each batch
 * saying up to when everything was sent, so the collector knows how long to wait before joining kernel events.
 *
 * <p>Lines are written at most every {@link #WRITE_EVERY_NANOS} (or once {@link #WRITE_AT_CHARS} wait), each write
 * ending with a mark, and after a quiet spell: a write wakes the collector, and on a busy JVM one per batch (a
 * hundred a second) cost the export thread more than everything else it does (docs/PERFORMANCE.md).
 *
 * <p>The hello offers protocols {@link #PROTOCOL} to {@link #MAX_PROTOCOL}; the welcome says which one the collector
 * chose (a collector that predates version 2 says none: 1). Version 2 adds summary lines; on a version 1 connection
 * every operation goes out by itself.
 */
final class CollectorLink implements OpExporter {

  /** The oldest version the agent speaks: one line per operation, marks. */
  static final int PROTOCOL = 1;
  /** The newest: summaries of the operations folded per stream and window. */
  static final int MAX_PROTOCOL = 2;
  /** As often as the marks of an idle agent: the collector holds a JVM's kernel events until a mark passes them. */
  static final long WRITE_EVERY_NANOS = 50_000_000L;
  static final int WRITE_AT_CHARS = 64 * 1024;
  private static final long WELCOME_TIMEOUT_MILLIS = 2_000;

  private final SocketChannel channel;
  private final OpQueue queue;
  private final SplittableRandom random = new SplittableRandom();
  private final StringBuilder text = new StringBuilder(64 * 1024);
  private final int protocol;
  /** Operations in summaries handed to a version 1 connection, which cannot take them: counted as dropped. */
  private long unsent;
  /** When the last batch in {@link #text} was taken: what its mark will say. */
  private long markNanos;
  private long lastWriteNanos;

  private CollectorLink(SocketChannel channel, OpQueue queue, int protocol) {
    this.channel = channel;
    this.queue = queue;
    this.protocol = protocol;
  }

  /** Connects and says hello; null when no collector listens there or it refused us (the reason in {@code why}). */
  static CollectorLink open(String socketPath, String service, OpQueue queue, StringBuilder why) {
    if (!Files.exists(Paths.get(socketPath))) {
      why.append("no collector socket at ").append(socketPath);
      return null;
    }
    SocketChannel channel = null;
    try {
      channel = unixChannel(socketPath);
      StringBuilder hello = new StringBuilder("{\"type\":\"hello\",\"protocol\":").append(PROTOCOL)
          .append(",\"max_protocol\":").append(MAX_PROTOCOL).append(",\"pid\":").append(ProcessHandle.current().pid());
      OpJson.field(hello, "service", service);
      OpJson.field(hello, "agent", AgentVersion.VALUE);
      OpJson.field(hello, "runtime", System.getProperty("java.runtime.version", "?"));
      hello.append("}\n");
      write(channel, hello);
      String answer = readLine(channel, WELCOME_TIMEOUT_MILLIS);
      if (answer == null || !answer.contains("\"welcome\"")) {
        why.append("collector at ").append(socketPath).append(" refused the agent: ")
            .append(answer == null ? "no answer" : answer);
        channel.close();
        return null;
      }
      channel.configureBlocking(true);
      return new CollectorLink(channel, queue, chosenProtocol(answer));
    } catch (IOException | ReflectiveOperationException | RuntimeException e) {
      why.append("collector at ").append(socketPath).append(": ").append(e.getMessage());
      closeQuietly(channel);
      return null;
    }
  }

  /** The version the welcome chose: its {@code "protocol"}, 1 when it names none, never more than we offered. */
  static int chosenProtocol(String welcome) {
    String key = "\"protocol\":";
    int at = welcome.indexOf(key);
    if (at < 0) {
      return PROTOCOL;
    }
    int version = 0;
    for (int i = at + key.length(); i < welcome.length() && Character.isDigit(welcome.charAt(i)) && version < 100;
        i++) {
      version = version * 10 + (welcome.charAt(i) - '0');
    }
    return Math.max(PROTOCOL, Math.min(MAX_PROTOCOL, version));
  }

  int protocol() {
    return protocol;
  }

  @Override
  public boolean takesSummaries() {
    return protocol >= 2;
  }

  /** Adds the batch's lines; writes them, with a mark, when the last write is {@link #WRITE_EVERY_NANOS} old. */
  @Override
  public boolean export(List<IpcOp> ops, List<OpSummary> summaries) {
    markNanos = System.nanoTime();
    for (IpcOp op : ops) {
      OpJson.op(text, op, SpanIds.random(random));
    }
    for (OpSummary summary : summaries) {
      if (takesSummaries()) {
        OpJson.summary(text, summary, SpanIds.random(random));
      } else {
        unsent += summary.count;
      }
    }
    if (markNanos - lastWriteNanos < WRITE_EVERY_NANOS && text.length() < WRITE_AT_CHARS) {
      return true; // with the next batch, or at the next idle look
    }
    return write(markNanos);
  }

  /** Nothing came for a while: what waits goes now, with a mark of now (every 50 ms while idle). */
  @Override
  public void idle() {
    write(System.nanoTime()); // a failure is noticed on the next export
  }

  /** The lines waiting, then a mark saying everything that ended before {@code mark} is sent. */
  private boolean write(long mark) {
    mark(text, mark);
    try {
      write(channel, text);
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      text.setLength(0);
      lastWriteNanos = System.nanoTime();
    }
  }

  private void mark(StringBuilder out, long nanos) {
    out.append("{\"type\":\"mark\",\"sent_through\":").append(nanos)
        .append(",\"accepted\":").append(queue.accepted())
        .append(",\"dropped\":").append(queue.dropped() + unsent).append("}\n");
  }

  @Override
  public void close() {
    if (text.length() > 0) {
      write(markNanos);
    }
    closeQuietly(channel);
  }

  /** Unix-domain SocketChannels are JDK 16 API, and the agent is compiled for 11: reached by reflection. */
  private static SocketChannel unixChannel(String path) throws IOException, ReflectiveOperationException {
    Class<?> addressType = Class.forName("java.net.UnixDomainSocketAddress");
    SocketAddress address = (SocketAddress) addressType.getMethod("of", String.class).invoke(null, path);
    ProtocolFamily unix = StandardProtocolFamily.valueOf("UNIX");
    SocketChannel channel =
        (SocketChannel) SocketChannel.class.getMethod("open", ProtocolFamily.class).invoke(null, unix);
    channel.connect(address);
    return channel;
  }

  private static void write(SocketChannel channel, CharSequence text) throws IOException {
    ByteBuffer buffer = StandardCharsets.UTF_8.encode(text.toString());
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static String readLine(SocketChannel channel, long timeoutMillis) throws IOException {
    channel.configureBlocking(false);
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    try (Selector selector = Selector.open()) {
      channel.register(selector, SelectionKey.OP_READ);
      while (System.nanoTime() < deadline) {
        selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (channel.read(buffer) < 0) {
          break;
        }
        for (int i = 0; i < buffer.position(); i++) {
          if (buffer.get(i) == '\n') {
            return new String(buffer.array(), 0, i, StandardCharsets.UTF_8);
          }
        }
      }
    }
    return null;
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }
}
