package io.ipcscope.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The standard OpenTelemetry variables the agent's own exporter honours, read the way the SDK's autoconfiguration
 * reads them (system property {@code otel.x.y} over variable {@code OTEL_X_Y}). Only http/protobuf is spoken: the
 * agent carries no gRPC stack.
 */
final class OtlpSettings {

  private static final String DEFAULT_ENDPOINT = "http://localhost:4318";

  private final Map<String, String> values;
  private final List<String> problems;
  /** OTEL_RESOURCE_ATTRIBUTES, decoded. */
  private final Map<String, String> resourceAttributes = new LinkedHashMap<>();
  /** Why the endpoint cannot be used, or null. */
  private final String endpointError;

  OtlpSettings(Map<String, String> environment, Map<?, ?> properties, List<String> problems) {
    this.values = new LinkedHashMap<>();
    this.problems = problems;
    environment.forEach((k, v) -> {
      if (k.startsWith("OTEL_")) {
        values.put(k.toLowerCase(Locale.ROOT).replace('_', '.'), v);
      }
    });
    properties.forEach((k, v) -> {
      if (k.toString().startsWith("otel.")) {
        values.put(k.toString(), v.toString());
      }
    });
    String protocol = get("otel.exporter.otlp.traces.protocol", get("otel.exporter.otlp.protocol", "http/protobuf"));
    if (!protocol.equals("http/protobuf")) {
      problems.add("OTEL_EXPORTER_OTLP_PROTOCOL=" + protocol + " is not spoken by the agent's exporter;"
          + " sending http/protobuf to the same endpoint (set it to http/protobuf to silence this)");
    }
    parsePairs(get("otel.resource.attributes", ""), resourceAttributes);
    this.endpointError = checkEndpoint(tracesEndpoint());
    if (endpointError != null && exporterNamed()) {
      problems.add(endpointError + "; the agent exports no OTLP itself");
    }
  }

  /**
   * Whether the agent may export OTLP itself: OTEL_TRACES_EXPORTER (a list, {@code otlp} by default) names
   * {@code otlp}, OTEL_SDK_DISABLED is not true, and the endpoint is an http(s) URL.
   */
  boolean enabled() {
    return exporterNamed() && endpointError == null;
  }

  private boolean exporterNamed() {
    if (get("otel.sdk.disabled", "false").trim().equalsIgnoreCase("true")) {
      return false;
    }
    for (String name : get("otel.traces.exporter", "otlp").split(",")) {
      if (name.trim().equalsIgnoreCase("otlp")) {
        return true;
      }
    }
    return false;
  }

  /** Why OTLP is off, for the one line the agent prints; null when it is on. */
  String disabledReason() {
    if (get("otel.sdk.disabled", "false").trim().equalsIgnoreCase("true")) {
      return "OTEL_SDK_DISABLED=true";
    }
    if (!exporterNamed()) {
      return "OTEL_TRACES_EXPORTER=" + get("otel.traces.exporter", "") + " names no otlp exporter";
    }
    return endpointError;
  }

  private static String checkEndpoint(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return null;
      }
    } catch (URISyntaxException e) {
      // said below
    }
    return "OTLP endpoint " + endpoint + " is not an http:// or https:// URL";
  }

  /** OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION: gzip or none. */
  String compression() {
    String c = get("otel.exporter.otlp.traces.compression", get("otel.exporter.otlp.compression", "none"))
        .trim().toLowerCase(Locale.ROOT);
    return c.equals("gzip") ? "gzip" : "none";
  }

  /** OTEL_BSP_SCHEDULE_DELAY: how long spans wait to be sent in a batch, in milliseconds; 5 s by default. */
  Duration scheduleDelay() {
    return positiveMillis(get("otel.bsp.schedule.delay", "5000"), Duration.ofSeconds(5));
  }

  /** OTEL_BSP_MAX_QUEUE_SIZE: spans waiting to be sent, beyond which they are dropped; 2048 by default. */
  int maxQueueSize() {
    try {
      int n = Integer.parseInt(get("otel.bsp.max.queue.size", "2048").trim());
      return n > 0 ? n : 2048;
    } catch (NumberFormatException e) {
      return 2048;
    }
  }

  private static Duration positiveMillis(String text, Duration fallback) {
    try {
      long millis = Long.parseLong(text.trim());
      return millis > 0 ? Duration.ofMillis(millis) : fallback;
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT in milliseconds; 10 s by default. */
  Duration timeout() {
    return positiveMillis(get("otel.exporter.otlp.traces.timeout", get("otel.exporter.otlp.timeout", "10000")),
        Duration.ofSeconds(10));
  }

  String tracesEndpoint() {
    String traces = values.get("otel.exporter.otlp.traces.endpoint");
    if (traces != null) {
      return traces;
    }
    String base = get("otel.exporter.otlp.endpoint", DEFAULT_ENDPOINT);
    return (base.endsWith("/") ? base : base + "/") + "v1/traces";
  }

  Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    parsePairs(get("otel.exporter.otlp.headers", ""), headers);
    parsePairs(get("otel.exporter.otlp.traces.headers", ""), headers);
    return headers;
  }

  Resource resource() {
    AttributesBuilder b = Attributes.builder();
    resourceAttributes.forEach(b::put);
    String service = serviceName();
    b.put(AttributeKey.stringKey("service.name"), service);
    b.put(AttributeKey.longKey("process.pid"), ProcessHandle.current().pid());
    return Resource.create(b.build());
  }

  String serviceName() {
    String name = values.get("otel.service.name");
    if (name != null) {
      return name;
    }
    return resourceAttributes.getOrDefault("service.name", MainClass.name());
  }

  private String get(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  private void parsePairs(String text, Map<String, String> into) {
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        into.put(pair.substring(0, eq).trim(), decode(pair.substring(eq + 1).trim()));
      } else if (!pair.isBlank()) {
        problems.add("OTEL key=value list entry '" + pair.trim() + "' has no '=', ignored");
      }
    }
  }

  private static String decode(String value) {
    try {
      return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value;
    }
  }
}
