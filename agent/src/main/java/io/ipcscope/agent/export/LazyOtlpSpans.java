package io.ipcscope.agent.export;

import io.ipcscope.agent.capture.IpcOp;
import io.ipcscope.agent.config.Granularity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

/**
 * The agent's own OTLP export ({@link OtlpSpans}), whose SDK starts only once something accepts a TCP connection at
 * the endpoint. Until then operations are dropped, as a failing export drops its spans, and the endpoint is looked
 * at again at most every second, only while there are operations to send. With nothing listening (the defaults,
 * and neither a collector nor an OTLP receiver running) the JVM thus never loads the SDK, never starts its HTTP
 * client, and has nothing to wait for at exit; the lines it says are those of a failing export.
 *
 * <p>The SDK's classes are not touched before the endpoint answers: this class refers to {@link OtlpSpans} only
 * through methods that run then.
 */
final class LazyOtlpSpans implements OpExporter {

  /** How long the check that the endpoint listens may take. */
  static final int PROBE_TIMEOUT_MILLIS = 250;
  private static final long PROBE_EVERY_NANOS = 1_000_000_000L;

  private final OtlpSettings settings;
  private final Granularity granularity;
  private final long streamIdleMillis;
  private final boolean debug;
  private final Consumer<String> log;
  private OtlpSpans spans;
  private boolean saidDown;
  private boolean broken;
  private long nextProbeNanos;

  LazyOtlpSpans(OtlpSettings settings, Granularity granularity, long streamIdleMillis, boolean debug,
      Consumer<String> log) {
    this.settings = settings;
    this.granularity = granularity;
    this.streamIdleMillis = streamIdleMillis;
    this.debug = debug;
    this.log = log;
  }

  @Override
  public boolean export(List<IpcOp> ops, List<OpSummary> summaries) {
    if (spans == null && !start()) {
      return true; // dropped: nothing listens there yet
    }
    return spans.export(ops, summaries);
  }

  /** Starts the SDK if the endpoint answers now (looked at every second at most); false while not. */
  private boolean start() {
    long now = System.nanoTime();
    if (broken || now < nextProbeNanos) {
      return false;
    }
    nextProbeNanos = now + PROBE_EVERY_NANOS;
    String endpoint = settings.tracesEndpoint();
    String down = unreachable(endpoint);
    if (down != null) {
      if (!saidDown) {
        saidDown = true;
        log.accept("OTLP export to " + endpoint + " failed: " + down + "; spans are dropped until it answers");
      }
      return false;
    }
    try {
      spans = OtlpSpans.create(settings, granularity, streamIdleMillis, debug, saidDown, log);
      return true;
    } catch (RuntimeException | LinkageError e) {
      broken = true;
      log.accept("OTLP export could not start: " + e + "; operations are dropped");
      return false;
    }
  }

  @Override
  public void idle() {
    if (spans != null) {
      spans.idle();
    }
  }

  @Override
  public void close(long deadlineNanos) {
    if (spans != null) {
      spans.close(deadlineNanos);
    }
  }

  @Override
  public void close() {
    if (spans != null) {
      spans.close();
    }
  }

  /**
   * Null when something accepts a TCP connection at the endpoint's host and port; else why not, as the exception's
   * class ({@code java.net.ConnectException}), as a failing export says it. On the agent's thread: not reported.
   */
  static String unreachable(String endpoint) {
    try {
      URI uri = URI.create(endpoint);
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(uri.getHost(), port), PROBE_TIMEOUT_MILLIS);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return e.getClass().getName();
    }
  }
}
