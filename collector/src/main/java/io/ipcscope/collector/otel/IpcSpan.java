package io.ipcscope.collector.otel;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;

/**
 * A finished span built from kernel records (or from a JVM agent's operations, {@link AgentJoin}). The SDK's tracer
 * cannot make these: each one belongs to the traced process (its own {@link Resource}), not to ipcscope, and its
 * times and parent come from the kernel, after the fact. So spans are made as {@link SpanData} directly and handed
 * to the SDK's exporters.
 *
 * @param scope {@code io.ipcscope.collector} for spans of kernel records, {@code io.ipcscope.agent} for a JVM's
 */
public record IpcSpan(String name, SpanKind kind, SpanContext context, SpanContext parent, long startEpochNanos,
    long endEpochNanos, Attributes attributes, List<LinkData> links, StatusData status, Resource resource,
    InstrumentationScopeInfo scope) implements SpanData {

  static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("io.ipcscope.collector").setVersion(Version.VALUE).build();

  public IpcSpan {
    links = List.copyOf(links);
  }

  /** A span of kernel records: the collector's scope. */
  public IpcSpan(String name, SpanKind kind, SpanContext context, SpanContext parent, long startEpochNanos,
      long endEpochNanos, Attributes attributes, List<LinkData> links, StatusData status, Resource resource) {
    this(name, kind, context, parent, startEpochNanos, endEpochNanos, attributes, links, status, resource, SCOPE);
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public SpanKind getKind() {
    return kind;
  }

  @Override
  public SpanContext getSpanContext() {
    return context;
  }

  @Override
  public SpanContext getParentSpanContext() {
    return parent;
  }

  @Override
  public StatusData getStatus() {
    return status;
  }

  @Override
  public long getStartEpochNanos() {
    return startEpochNanos;
  }

  @Override
  public Attributes getAttributes() {
    return attributes;
  }

  @Override
  public List<EventData> getEvents() {
    return List.of();
  }

  @Override
  public List<LinkData> getLinks() {
    return links;
  }

  @Override
  public long getEndEpochNanos() {
    return endEpochNanos;
  }

  @Override
  public boolean hasEnded() {
    return true;
  }

  @Override
  public int getTotalRecordedEvents() {
    return 0;
  }

  @Override
  public int getTotalRecordedLinks() {
    return links.size();
  }

  @Override
  public int getTotalAttributeCount() {
    return attributes.size();
  }

  @Override
  @SuppressWarnings("deprecation") // still abstract in the interface; the scope below is what exporters read
  public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
    return InstrumentationLibraryInfo.create(scope.getName(), scope.getVersion());
  }

  @Override
  public InstrumentationScopeInfo getInstrumentationScopeInfo() {
    return scope;
  }

  @Override
  public Resource getResource() {
    return resource;
  }
}
