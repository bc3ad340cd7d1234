package io.ipcscope.agent.it;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The OTLP endpoint of the agent's own exporter, as the tests need it: http/protobuf on a free loopback port, every
 * span decoded (opentelemetry-proto) and kept with its string attributes, and how many requests came.
 */
final class OtlpReceiverStub implements AutoCloseable {

  /** A received span: its name and its attributes' values as text. */
  record ReceivedSpan(String name, Map<String, String> attributes) {
    String attribute(String key) {
      return attributes.getOrDefault(key, "");
    }
  }

  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  OtlpReceiverStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        keep(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
        requests.incrementAndGet();
      }
      byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(answer);
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** For OTEL_EXPORTER_OTLP_ENDPOINT. */
  String endpoint() {
    return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + port();
  }

  int requests() {
    return requests.get();
  }

  List<ReceivedSpan> spans() {
    return new ArrayList<>(spans);
  }

  private void keep(ExportTraceServiceRequest request) {
    for (ResourceSpans resource : request.getResourceSpansList()) {
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          Map<String, String> attributes = new LinkedHashMap<>();
          for (KeyValue kv : span.getAttributesList()) {
            attributes.put(kv.getKey(), kv.getValue().hasIntValue() ? String.valueOf(kv.getValue().getIntValue())
                : kv.getValue().getStringValue());
          }
          spans.add(new ReceivedSpan(span.getName(), attributes));
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
