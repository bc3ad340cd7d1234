package io.ipcscope.agent.it;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver in the test: decodes the real ExportTraceServiceRequest messages (opentelemetry-proto) that
 * an exporter POSTs to /v1/traces on a free loopback port, and keeps every span with its resource, scope and the
 * request's headers. Metrics and logs are answered and thrown away.
 */
final class OtlpReceiver implements AutoCloseable {

  /** One span as received. Ids are lowercase hex, "" when absent. */
  record Received(Map<String, Object> resource, String scope, Span span, Map<String, String> headers) {
    String name() {
      return span.getName();
    }

    Span.SpanKind kind() {
      return span.getKind();
    }

    String traceId() {
      return hex(span.getTraceId());
    }

    String spanId() {
      return hex(span.getSpanId());
    }

    String parentSpanId() {
      return hex(span.getParentSpanId());
    }

    Map<String, Object> attributes() {
      return OtlpReceiver.attributes(span.getAttributesList());
    }

    Object attribute(String key) {
      return attributes().get(key);
    }

    @Override
    public String toString() {
      return kind() + " '" + name() + "' trace " + traceId() + " span " + spanId() + " parent " + parentSpanId()
          + " " + attributes() + (span.getEventsCount() > 0 ? " events " + eventAttributes() : "");
    }

    List<Map<String, Object>> eventAttributes() {
      return span.getEventsList().stream().map(e -> OtlpReceiver.attributes(e.getAttributesList())).toList();
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Received> spans = new CopyOnWriteArrayList<>();
  private volatile int status = 200;

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "otlp-receiver");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** http://127.0.0.1:PORT, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers every export with this HTTP status from now on (200: accept and keep). */
  void answer(int status) {
    this.status = status;
  }

  List<Received> spans() {
    return List.copyOf(spans);
  }

  List<Received> spans(String scope) {
    return spans.stream().filter(s -> s.scope().equals(scope)).toList();
  }

  /** Polls until {@code done} accepts the spans received; fails with what was received after {@code timeout}. */
  List<Received> await(Predicate<List<Received>> done, Duration timeout) throws InterruptedException {
    return await(done, timeout, "");
  }

  /** As {@link #await(Predicate, Duration)}, saying {@code context} (the exporter's stderr) on failure. */
  List<Received> await(Predicate<List<Received>> done, Duration timeout, String context)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<Received> now = spans();
      if (done.test(now)) {
        return now;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the OTLP receiver did not get the spans expected in " + timeout + "; it got "
        + spans().stream().map(s -> s.scope() + " " + s).toList() + (context.isEmpty() ? "" : "\n" + context));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
      try (InputStream in = gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (status != 200) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      if (exchange.getRequestURI().getPath().equals("/v1/traces")) {
        ExportTraceServiceRequest request;
        try {
          request = ExportTraceServiceRequest.parseFrom(body);
        } catch (IOException e) {
          exchange.sendResponseHeaders(400, -1);
          return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        for (ResourceSpans rs : request.getResourceSpansList()) {
          Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            for (Span span : ss.getSpansList()) {
              spans.add(new Received(resource, ss.getScope().getName(), span, headers));
            }
          }
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1); // an empty response message: full success
    }
  }

  static Map<String, Object> attributes(List<KeyValue> list) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (KeyValue kv : list) {
      out.put(kv.getKey(), value(kv.getValue()));
    }
    return out;
  }

  private static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> v.getIntValue();
      case BOOL_VALUE -> v.getBoolValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      default -> v.toString();
    };
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
