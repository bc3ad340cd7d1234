package io.ipcscope.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.resources.Resource;
import java.util.LinkedHashMap;
import java.util.List;
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

  OtlpSettings(Map<String, String> environment, Map<?, ?> properties, List<String> problems) {
    this.values = new LinkedHashMap<>();
    this.problems = problems;
    environment.forEach((k, v) -> {
      if (k.startsWith("OTEL_")) {
        values.put(k.toLowerCase().replace('_', '.'), v);
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
  }

  /** False when OTEL_TRACES_EXPORTER says none: the agent then exports nothing itself. */
  boolean enabled() {
    return !get("otel.traces.exporter", "otlp").equals("none");
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
    Map<String, String> attributes = new LinkedHashMap<>();
    parsePairs(get("otel.resource.attributes", ""), attributes);
    AttributesBuilder b = Attributes.builder();
    attributes.forEach(b::put);
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
    Map<String, String> attributes = new LinkedHashMap<>();
    parsePairs(get("otel.resource.attributes", ""), attributes);
    return attributes.getOrDefault("service.name", MainClass.name());
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
