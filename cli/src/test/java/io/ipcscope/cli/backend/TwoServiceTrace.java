package io.ipcscope.cli.backend;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One trace across two services as the SDK makes it: "writer" sends (PRODUCER), "reader" receives (CONSUMER,
 * child of the send, linked to it). Times are whole microseconds, so Zipkin's microsecond fields compare exactly.
 */
record TwoServiceTrace(SpanData producer, SpanData consumer) {
  static final String SCOPE = "io.ipcscope.collect";
  static final String SCOPE_VERSION = "0.1.0";
  static final AttributeKey<String> MECHANISM = AttributeKey.stringKey("ipc.mechanism");
  static final AttributeKey<Long> BYTES = AttributeKey.longKey("ipc.bytes");
  static final AttributeKey<List<Long>> PIDS = AttributeKey.longArrayKey("ipc.pids");
  static final AttributeKey<Boolean> BLOCKED = AttributeKey.booleanKey("ipc.blocked");
  static final AttributeKey<String> LINK_REASON = AttributeKey.stringKey("ipcscope.link");
  static final long SEND_NANOS = 1_000_000;
  static final long RECEIVE_DELAY_NANOS = 250_000;
  static final long RECEIVE_NANOS = 2_000_000;

  static TwoServiceTrace create() {
    // Recent: Zipkin queries look back one day from now.
    long start = nanos(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    Collected collected = new Collected();
    try (SdkTracerProvider writer = provider("writer", collected);
        SdkTracerProvider reader = provider("reader", collected)) {
      Span send = writer.tracerBuilder(SCOPE).setInstrumentationVersion(SCOPE_VERSION).build()
          .spanBuilder("send pipe")
          .setNoParent()
          .setSpanKind(SpanKind.PRODUCER)
          .setStartTimestamp(start, NANOSECONDS)
          .setAttribute(MECHANISM, "pipe")
          .setAttribute(BYTES, 42L)
          .setAttribute(PIDS, List.of(100L, 200L))
          .startSpan();
      send.end(start + SEND_NANOS, NANOSECONDS);
      Span receive = reader.tracerBuilder(SCOPE).setInstrumentationVersion(SCOPE_VERSION).build()
          .spanBuilder("receive pipe")
          .setParent(Context.root().with(send))
          .setSpanKind(SpanKind.CONSUMER)
          .setStartTimestamp(start + RECEIVE_DELAY_NANOS, NANOSECONDS)
          .setAttribute(MECHANISM, "pipe")
          .setAttribute(BLOCKED, true)
          .addLink(send.getSpanContext(), Attributes.of(LINK_REASON, "same message"))
          .startSpan();
      receive.end(start + RECEIVE_DELAY_NANOS + RECEIVE_NANOS, NANOSECONDS);
    }
    return new TwoServiceTrace(collected.spans.get(0), collected.spans.get(1));
  }

  List<SpanData> spans() {
    return List.of(producer, consumer);
  }

  String traceId() {
    return producer.getTraceId();
  }

  private static SdkTracerProvider provider(String serviceName, SpanExporter exporter) {
    return SdkTracerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName)))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** Keeps ended spans; the SDK's testing module has one too, but not as a dependency of cli. */
  private static final class Collected implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
