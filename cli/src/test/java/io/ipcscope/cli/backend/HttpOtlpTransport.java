package io.ipcscope.cli.backend;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Status;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * OTLP over HTTP with protobuf bodies (the SDK's "http/protobuf"), on the JDK's HTTP server: POST /v1/traces is
 * decoded and kept, /v1/metrics and /v1/logs are decoded and answered. Anything else gets the 4xx a real collector
 * would give, so a misconfigured exporter fails loudly instead of looking exported.
 */
final class HttpOtlpTransport implements OtlpTransport {
  private static final String PROTOBUF = "application/x-protobuf";

  private final TraceSink sink;
  private HttpServer server;
  private ExecutorService executor;

  HttpOtlpTransport(TraceSink sink) {
    this.sink = sink;
  }

  @Override
  public int start(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "otlp-http-receiver");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    return server.getAddress().getPort();
  }

  @Override
  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      Answer answer;
      try {
        answer = answer(exchange);
      } catch (RuntimeException e) {
        // The JDK server would only drop the connection; the exporter's log should say what went wrong here.
        answer = new Answer(500, Status.Code.INTERNAL, "ipcscope test receiver failed: " + e);
      }
      exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
      if (answer.status() == 200) {
        // An empty Export*ServiceResponse encodes to zero bytes: a full success without partial_success.
        exchange.sendResponseHeaders(200, -1);
      } else {
        // OTLP/HTTP errors carry a google.rpc.Status, which the SDK's exporter decodes into its log line.
        byte[] body = com.google.rpc.Status.newBuilder()
            .setCode(answer.code().value())
            .setMessage(answer.message())
            .build()
            .toByteArray();
        exchange.sendResponseHeaders(answer.status(), body.length);
        exchange.getResponseBody().write(body);
      }
    } finally {
      exchange.close();
    }
  }

  private record Answer(int status, Status.Code code, String message) {
    static final Answer OK = new Answer(200, Status.Code.OK, "");
    static final Answer UNAVAILABLE = new Answer(503, Status.Code.UNAVAILABLE, "ipcscope test receiver: unavailable");
  }

  private Answer answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!"POST".equals(exchange.getRequestMethod())) {
      return new Answer(405, Status.Code.UNIMPLEMENTED, exchange.getRequestMethod() + " " + path + ": OTLP takes POST");
    }
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType == null || !contentType.startsWith(PROTOBUF)) {
      return new Answer(
          415, Status.Code.INVALID_ARGUMENT, "Content-Type " + contentType + ": this receiver takes only " + PROTOBUF);
    }
    byte[] body = body(exchange);
    try {
      return switch (path) {
        case "/v1/traces" -> accepted(sink.exportTraces(ExportTraceServiceRequest.parseFrom(body)));
        // metrics and logs are decoded only to reject what is not OTLP
        case "/v1/metrics" -> {
          ExportMetricsServiceRequest.parseFrom(body);
          yield accepted(sink.exportOther());
        }
        case "/v1/logs" -> {
          ExportLogsServiceRequest.parseFrom(body);
          yield accepted(sink.exportOther());
        }
        default -> new Answer(404, Status.Code.NOT_FOUND, path + ": OTLP paths are /v1/traces, /v1/metrics, /v1/logs");
      };
    } catch (InvalidProtocolBufferException e) {
      return new Answer(400, Status.Code.INVALID_ARGUMENT, path + ": not an OTLP protobuf message: " + e.getMessage());
    }
  }

  private static Answer accepted(boolean accepted) {
    return accepted ? Answer.OK : Answer.UNAVAILABLE;
  }

  private static byte[] body(HttpExchange exchange) throws IOException {
    boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
    try (InputStream in = gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }
}
