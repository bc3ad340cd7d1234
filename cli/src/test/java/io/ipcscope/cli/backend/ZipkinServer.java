package io.ipcscope.cli.backend;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The real Zipkin server (zipkin-server's exec jar) as a separate JVM on a free loopback port with in-memory
 * storage, for end-to-end tests of the Zipkin exporter. Start it once per test class: it takes several seconds.
 *
 * <pre>{@code
 * try (ZipkinServer zipkin = ZipkinServer.start()) {
 *   // run the exporter with OTEL_EXPORTER_ZIPKIN_ENDPOINT=zipkin.spansEndpoint()
 *   JsonNode traces = zipkin.awaitTraces("writer", t -> t.size() == 1, Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class ZipkinServer implements AutoCloseable {
  /** The system property holding the exec jar's path; cli/pom.xml sets it for surefire from the test dependency. */
  public static final String JAR_PROPERTY = "ipcscope.zipkin.jar";
  /** The system property naming the directory for backend logs; cli/pom.xml points it under target/. */
  public static final String LOG_DIR_PROPERTY = "ipcscope.backend.logs";

  // A cold Spring Boot start on two busy cores of CI takes ~8s; the margin is for a loaded machine.
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 3;
  private static final int DEFAULT_LIMIT = 100;

  private final BackendProcess process;
  private final int port;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  private ZipkinServer(BackendProcess process, int port, HttpClient http) {
    this.process = process;
    this.port = port;
    this.http = http;
  }

  /** Starts the jar named by {@value #JAR_PROPERTY}, logging under {@value #LOG_DIR_PROPERTY} (default target/). */
  public static ZipkinServer start() throws IOException {
    String jar = System.getProperty(JAR_PROPERTY);
    if (jar == null || jar.isBlank() || jar.startsWith("${")) {
      throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set to zipkin-server's exec jar;"
          + " run the tests through Maven (cli/pom.xml sets it), or pass -D" + JAR_PROPERTY + "=PATH");
    }
    return start(Path.of(jar), Path.of(System.getProperty(LOG_DIR_PROPERTY, "target/backend-logs")));
  }

  /**
   * Starts {@code jar} and waits until its health endpoint says UP. Zipkin is told its port before it binds, so a
   * port taken meanwhile by another process is possible: then it tries another port.
   */
  public static ZipkinServer start(Path jar, Path logDir) throws IOException {
    requireNonNull(jar, "jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("zipkin-server jar " + jar + " does not exist");
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    for (int attempt = 1; ; attempt++) {
      int port = LoopbackPorts.free();
      Path log = logDir.resolve("zipkin-" + port + ".log");
      BackendProcess process =
          BackendProcess.start("zipkin-server on 127.0.0.1:" + port, command(jar, port), environment(), log);
      ZipkinServer server = new ZipkinServer(process, port, http);
      try {
        process.awaitHealthy(server::healthy, STARTUP_TIMEOUT);
        return server;
      } catch (IllegalStateException e) {
        process.close();
        if (attempt == PORT_ATTEMPTS || !Files.readString(process.log(), UTF_8).contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  private static List<String> command(Path jar, int port) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // C1 only: the server lives seconds, so a faster start beats peak speed; a small heap for the CI machine.
    command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
    // The whole port list, not just the port: Spring replaces a list from a higher source, it never merges it,
    // and zipkin's default listens on every interface; tests listen on loopback only.
    command.addAll(List.of(
        "--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].port=" + port, "--armeria.ports[0].protocols[0]=http"));
    return command;
  }

  /** Set, not inherited: a developer's STORAGE_TYPE or KAFKA_BOOTSTRAP_SERVERS must not change the test backend. */
  private static Map<String, String> environment() {
    return Map.of(
        "STORAGE_TYPE", "mem",
        "SELF_TRACING_ENABLED", "false",
        "UI_ENABLED", "false",
        "COLLECTOR_GRPC_ENABLED", "false",
        "KAFKA_BOOTSTRAP_SERVERS", "",
        "RABBIT_ADDRESSES", "",
        "RABBIT_URI", "",
        "ACTIVEMQ_URL", "",
        "PULSAR_SERVICE_URL", "",
        "EUREKA_SERVICE_URL", "");
  }

  public int port() {
    return port;
  }

  /** http://127.0.0.1:PORT */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Where the SDK's Zipkin exporter posts: OTEL_EXPORTER_ZIPKIN_ENDPOINT or ZipkinSpanExporterBuilder.setEndpoint. */
  public String spansEndpoint() {
    return baseUrl() + "/api/v2/spans";
  }

  /** The variables that point an SDK autoconfigured from the environment (ipcscope collect) at this server. */
  public Map<String, String> exporterEnvironment() {
    return Map.of("OTEL_TRACES_EXPORTER", "zipkin", "OTEL_EXPORTER_ZIPKIN_ENDPOINT", spansEndpoint());
  }

  /** The server's log, to read when a test fails. */
  public Path log() {
    return process.log();
  }

  /** GET /api/v2/services: the service names seen, as Zipkin stores them (lower case). */
  public List<String> services() {
    List<String> services = new ArrayList<>();
    get("/api/v2/services").forEach(name -> services.add(name.asText()));
    return services;
  }

  /** GET /api/v2/traces?serviceName=...: an array of traces, each an array of Zipkin v2 spans. */
  public JsonNode traces(String serviceName) {
    return traces(serviceName, DEFAULT_LIMIT);
  }

  public JsonNode traces(String serviceName, int limit) {
    return get("/api/v2/traces?serviceName=" + URLEncoder.encode(serviceName, UTF_8) + "&limit=" + limit);
  }

  /**
   * GET /api/v2/traces with Zipkin's filters: traces of {@code serviceName} with a span named {@code spanName} (null:
   * any) whose tags match {@code annotationQuery} ({@code key=value and key2}; null: any). On a busy host the newest
   * {@code limit} traces of a service may all be someone else's: filter for the one wanted.
   */
  public JsonNode traces(String serviceName, String spanName, String annotationQuery, int limit) {
    return get("/api/v2/traces?serviceName=" + URLEncoder.encode(serviceName, UTF_8)
        + (spanName == null ? "" : "&spanName=" + URLEncoder.encode(spanName, UTF_8))
        + (annotationQuery == null ? "" : "&annotationQuery=" + URLEncoder.encode(annotationQuery, UTF_8))
        + "&limit=" + limit);
  }

  /** GET /api/v2/trace/{traceId}: the trace's spans, an empty array while Zipkin has none of them. */
  public JsonNode trace(String traceId) {
    HttpResponse<String> response = send("/api/v2/trace/" + URLEncoder.encode(traceId, UTF_8));
    return response.statusCode() == 404 ? json.createArrayNode() : parse(response);
  }

  /** Polls {@link #traces(String)} until {@code done} accepts the array; Zipkin stores spans asynchronously. */
  public JsonNode awaitTraces(String serviceName, Predicate<? super JsonNode> done, Duration timeout) {
    return Poll.until("zipkin traces of service " + serviceName, timeout, () -> traces(serviceName), done);
  }

  /** Polls {@link #trace(String)} until {@code done} accepts the trace's spans. */
  public JsonNode awaitTrace(String traceId, Predicate<? super JsonNode> done, Duration timeout) {
    return Poll.until("zipkin trace " + traceId, timeout, () -> trace(traceId), done);
  }

  /** Kills the server's process tree and waits for it. */
  @Override
  public void close() {
    process.close();
  }

  private boolean healthy() {
    try {
      HttpResponse<String> response = http.send(request("/health"), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && "UP".equals(json.readTree(response.body()).path("status").asText());
    } catch (IOException notListeningYet) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for zipkin", e);
    }
  }

  private JsonNode get(String pathAndQuery) {
    HttpResponse<String> response = send(pathAndQuery);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + baseUrl() + pathAndQuery + ": HTTP " + response.statusCode() + ": "
          + response.body() + "; " + process.logTail());
    }
    return parse(response);
  }

  private JsonNode parse(HttpResponse<String> response) {
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("parsing " + response.uri() + ": " + response.body(), e);
    }
  }

  private HttpResponse<String> send(String pathAndQuery) {
    try {
      return http.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + baseUrl() + pathAndQuery + " (zipkin alive: " + process.alive() + "); "
          + process.logTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted querying zipkin", e);
    }
  }

  private HttpRequest request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)).timeout(REQUEST_TIMEOUT).GET().build();
  }
}
