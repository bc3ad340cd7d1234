package io.ipcscope.cli.bench;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local OTLP/HTTP receiver that reads and discards every request, and the SDK's exporter pointed at it: what the
 * collector pays to serialize and send spans, without a backend's cost in the same CPU.
 */
final class OtlpSink implements AutoCloseable {

  private final HttpServer server;
  private final SpanExporter exporter;
  private final AtomicLong bytes = new AtomicLong();

  private OtlpSink(HttpServer server) {
    this.server = server;
    server.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          bytes.addAndGet(n);
        }
      }
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    this.exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces")
        .build();
  }

  static OtlpSink start() throws IOException {
    return new OtlpSink(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16));
  }

  SpanExporter exporter() {
    return exporter;
  }

  long bytes() {
    return bytes.get();
  }

  @Override
  public void close() {
    exporter.shutdown();
    server.stop(0);
  }
}
