package io.ipcscope.cli.backend;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An OTLP receiver inside the test: it decodes the real OTLP protobuf messages (opentelemetry-proto) that an
 * exporter sends, over http/protobuf or gRPC, on a free loopback port, and keeps the spans for asserts. For failure
 * tests it can answer errors ({@link #available(boolean)}) or go away and come back on the same port
 * ({@link #stop()}, {@link #restart()}).
 *
 * <pre>{@code
 * try (OtlpReceiver otlp = OtlpReceiver.start(OtlpReceiver.Protocol.GRPC)) {
 *   // run the exporter with OTEL_EXPORTER_OTLP_PROTOCOL=grpc OTEL_EXPORTER_OTLP_ENDPOINT=otlp.endpoint()
 *   List<ReceivedSpan> spans = otlp.awaitSpans(s -> s.size() == 2, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class OtlpReceiver implements AutoCloseable {
  /** The OTLP transports, named as OTEL_EXPORTER_OTLP_PROTOCOL names them. */
  public enum Protocol {
    HTTP_PROTOBUF("http/protobuf"),
    GRPC("grpc");

    private final String otelName;

    Protocol(String otelName) {
      this.otelName = otelName;
    }

    /** The value of OTEL_EXPORTER_OTLP_PROTOCOL for this transport. */
    public String otelName() {
      return otelName;
    }
  }

  private final Protocol protocol;
  private final TraceSink sink = new TraceSink();
  private final OtlpTransport transport;
  private final int port;
  private boolean running;

  private OtlpReceiver(Protocol protocol) throws IOException {
    this.protocol = protocol;
    this.transport = switch (protocol) {
      case HTTP_PROTOBUF -> new HttpOtlpTransport(sink);
      case GRPC -> new GrpcOtlpTransport(sink);
    };
    this.port = transport.start(0);
    this.running = true;
  }

  /** Starts a receiver on a free loopback port. */
  public static OtlpReceiver start(Protocol protocol) throws IOException {
    return new OtlpReceiver(requireNonNull(protocol, "protocol"));
  }

  public Protocol protocol() {
    return protocol;
  }

  public int port() {
    return port;
  }

  /** http://127.0.0.1:PORT: OTEL_EXPORTER_OTLP_ENDPOINT, and the gRPC exporter's builder endpoint. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * Where trace exports go: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and the builders' setEndpoint. For http/protobuf
   * that is the full URL with /v1/traces (the SDK adds the path only to the signal-less variable); for gRPC the
   * same as {@link #endpoint()}.
   */
  public String tracesEndpoint() {
    return protocol == Protocol.HTTP_PROTOBUF ? endpoint() + "/v1/traces" : endpoint();
  }

  /**
   * The variables that point an SDK autoconfigured from the environment (ipcscope collect) at this receiver: the
   * signal-less endpoint, to which the SDK adds /v1/traces for http/protobuf itself.
   */
  public Map<String, String> exporterEnvironment() {
    return Map.of(
        "OTEL_TRACES_EXPORTER", "otlp",
        "OTEL_EXPORTER_OTLP_PROTOCOL", protocol.otelName(),
        "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint());
  }

  /** The spans received so far, in arrival order. */
  public List<ReceivedSpan> spans() {
    List<ReceivedSpan> spans = new ArrayList<>();
    for (ResourceSpans resourceSpans : sink.resourceSpans()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          spans.add(ReceivedSpan.of(resourceSpans.getResource(), scopeSpans.getScope(), span));
        }
      }
    }
    return spans;
  }

  /** The decoded messages' ResourceSpans as received, for asserts on what {@link ReceivedSpan} leaves out. */
  public List<ResourceSpans> resourceSpans() {
    return sink.resourceSpans();
  }

  /** Polls {@link #spans()} until {@code done} accepts them; exporters batch and send in the background. */
  public List<ReceivedSpan> awaitSpans(Predicate<? super List<ReceivedSpan>> done, Duration timeout) {
    return Poll.until("spans at OTLP receiver " + endpoint(), timeout, this::spans, done);
  }

  /** Trace export requests that reached the receiver, those answered with an error included. */
  public int requests() {
    return sink.traceRequests();
  }

  /** Forgets the spans and the request count. */
  public void clear() {
    sink.clear();
  }

  /**
   * False: answer every export with the error a collector gives when it cannot take data (HTTP 503, gRPC
   * UNAVAILABLE), keeping nothing; true: accept again.
   */
  public void available(boolean available) {
    sink.available(available);
  }

  /** Closes the listener and its connections: exporters then meet a refused connection, as with a backend down. */
  public synchronized void stop() {
    if (running) {
      transport.stop();
      running = false;
    }
  }

  /** Listens again on the same port, keeping what was received before. */
  public synchronized void restart() throws IOException {
    if (!running) {
      transport.start(port);
      running = true;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
