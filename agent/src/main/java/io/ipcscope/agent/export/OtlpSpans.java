package io.ipcscope.agent.export;

import io.ipcscope.agent.capture.IpcOp;
import io.ipcscope.agent.config.Granularity;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent's own OTLP export, for when no collector runs: the operations become spans of this JVM, sent with the
 * OpenTelemetry SDK to the endpoint the standard variables name ({@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_HEADERS}, {@code OTEL_SERVICE_NAME},
 * {@code OTEL_RESOURCE_ATTRIBUTES}), over http/protobuf. Without a collector there is no kernel view to join: these
 * spans stop at this process.
 */
final class OtlpSpans implements OpExporter {

  private static final AttributeKey<String> MECHANISM = AttributeKey.stringKey("ipc.mechanism");
  private static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("ipc.channel");
  private static final AttributeKey<Long> BYTES = AttributeKey.longKey("messaging.message.body.size");
  private static final AttributeKey<Long> PEER_PID = AttributeKey.longKey("ipc.peer.pid");
  private static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  private static final AttributeKey<Long> OPERATIONS = AttributeKey.longKey("ipc.stream.operations");

  /** An open stream span (granularity=stream): one per channel and direction. */
  private static final class StreamSpan {
    final Span span;
    long lastEndNanos;
    long operations;
    long bytes;

    StreamSpan(Span span) {
      this.span = span;
    }
  }

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final long epochOffsetNanos;
  private final Granularity granularity;
  private final long streamIdleNanos;
  private final Map<String, StreamSpan> streams = new HashMap<>();

  private OtlpSpans(SdkTracerProvider provider, Granularity granularity, long streamIdleMillis) {
    this.provider = provider;
    this.tracer = provider.get("io.ipcscope.agent", AgentVersion.VALUE);
    this.epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    this.granularity = granularity;
    this.streamIdleNanos = streamIdleMillis * 1_000_000L;
  }

  static OtlpSpans create(OtlpSettings settings, Granularity granularity, long streamIdleMillis) {
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(settings.tracesEndpoint());
    settings.headers().forEach(exporter::addHeader);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(settings.resource()))
        .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
        .build();
    return new OtlpSpans(provider, granularity, streamIdleMillis);
  }

  @Override
  public boolean export(List<IpcOp> batch) {
    for (IpcOp op : batch) {
      if (granularity == Granularity.STREAM && !op.channel.isEmpty() && isTransfer(op)) {
        addToStream(op);
      } else {
        start(op, op.mechanism + " " + op.operation).end(epoch(op.endNanos), TimeUnit.NANOSECONDS);
      }
    }
    return true;
  }

  @Override
  public void idle() {
    long now = System.nanoTime();
    for (Iterator<StreamSpan> it = streams.values().iterator(); it.hasNext(); ) {
      StreamSpan s = it.next();
      if (now - s.lastEndNanos > streamIdleNanos) {
        endStream(s);
        it.remove();
      }
    }
  }

  @Override
  public void close() {
    streams.values().forEach(this::endStream);
    streams.clear();
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }

  private void addToStream(IpcOp op) {
    String key = op.channel + " " + op.operation + " " + (op.parent == null ? "" : op.parent.spanId);
    StreamSpan s = streams.get(key);
    if (s == null) {
      s = new StreamSpan(start(op, op.mechanism + " " + op.operation + " stream"));
      streams.put(key, s);
    }
    s.operations++;
    s.bytes += Math.max(0, op.bytes);
    s.lastEndNanos = op.endNanos;
    s.span.addEvent(op.operation, Attributes.of(BYTES, op.bytes, THREAD_ID, (long) op.tid), epoch(op.endNanos),
        TimeUnit.NANOSECONDS);
  }

  private void endStream(StreamSpan s) {
    s.span.setAttribute(OPERATIONS, s.operations);
    s.span.setAttribute(BYTES, s.bytes);
    s.span.end(epoch(s.lastEndNanos), TimeUnit.NANOSECONDS);
  }

  private Span start(IpcOp op, String name) {
    SpanBuilder builder = tracer.spanBuilder(name)
        .setSpanKind(kind(op))
        .setStartTimestamp(epoch(op.startNanos), TimeUnit.NANOSECONDS)
        .setAllAttributes(attributes(op));
    if (op.parent != null) {
      SpanContext parent = SpanContext.createFromRemoteParent(op.parent.traceId, op.parent.spanId,
          op.parent.sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
      builder.setParent(Context.root().with(Span.wrap(parent)));
    } else {
      builder.setNoParent();
    }
    return builder.startSpan();
  }

  private static Attributes attributes(IpcOp op) {
    AttributesBuilder a = Attributes.builder().put(MECHANISM, op.mechanism).put(THREAD_ID, (long) op.tid);
    if (!op.channel.isEmpty()) {
      a.put(CHANNEL, op.channel);
    }
    if (op.bytes >= 0) {
      a.put(BYTES, op.bytes);
    }
    if (op.peerPid > 0) {
      a.put(PEER_PID, op.peerPid);
    }
    for (int i = 0; i < op.attributeCount(); i++) {
      a.put(op.attributeKey(i), op.attributeValue(i));
    }
    return a.build();
  }

  static SpanKind kind(IpcOp op) {
    switch (op.operation.toLowerCase(Locale.ROOT)) {
      case "write": case "send": case "kill": case "raise": return SpanKind.PRODUCER;
      case "read": case "receive": case "accept": case "dispatch": return SpanKind.CONSUMER;
      default: return SpanKind.INTERNAL;
    }
  }

  private static boolean isTransfer(IpcOp op) {
    return op.operation.equals("read") || op.operation.equals("write") || op.operation.equals("send")
        || op.operation.equals("receive");
  }

  private long epoch(long nanoTime) {
    return nanoTime + epochOffsetNanos;
  }
}
