package io.ipcscope.cli.backend;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One span as an OTLP receiver decoded it, flattened with its resource and scope. Ids are lower-case hex as the
 * SDK's {@code getTraceId()} gives them; a root span's parent id is empty, as on the wire. Attribute values are
 * plain Java values ({@link AnyValues#value}).
 */
public record ReceivedSpan(
    Map<String, Object> resourceAttributes,
    String scopeName,
    String scopeVersion,
    String name,
    Span.SpanKind kind,
    String traceId,
    String spanId,
    String parentSpanId,
    long startEpochNanos,
    long endEpochNanos,
    Map<String, Object> attributes,
    List<Link> links,
    Status.StatusCode statusCode,
    String statusMessage) {

  /** A link to another span context, with its attributes. */
  public record Link(String traceId, String spanId, Map<String, Object> attributes) {}

  static ReceivedSpan of(Resource resource, InstrumentationScope scope, Span span) {
    return new ReceivedSpan(
        AnyValues.attributes(resource.getAttributesList()),
        scope.getName(),
        scope.getVersion(),
        span.getName(),
        span.getKind(),
        hex(span.getTraceId()),
        hex(span.getSpanId()),
        hex(span.getParentSpanId()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        AnyValues.attributes(span.getAttributesList()),
        span.getLinksList().stream().map(ReceivedSpan::link).toList(),
        span.getStatus().getCode(),
        span.getStatus().getMessage());
  }

  /** The resource's service.name, or null when it has none. */
  public String serviceName() {
    return (String) resourceAttributes.get("service.name");
  }

  private static Link link(Span.Link link) {
    return new Link(hex(link.getTraceId()), hex(link.getSpanId()), AnyValues.attributes(link.getAttributesList()));
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
