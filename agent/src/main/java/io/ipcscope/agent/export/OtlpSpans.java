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
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The agent's own OTLP export, for when no collector runs: the operations become spans of this JVM, sent with the
 * OpenTelemetry SDK to the endpoint the standard variables name ({@code OTEL_EXPORTER_OTLP_ENDPOINT},
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}, {@code OTEL_EXPORTER_OTLP_HEADERS}, {@code OTEL_SERVICE_NAME},
 * {@code OTEL_RESOURCE_ATTRIBUTES}), over http/protobuf. Without a collector there is no kernel view to join: these
 * spans stop at this process.
 *
 * <p>Spans are named and attributed as the collector's are (docs/SEMANTIC-CONVENTIONS.md): {@code write pipe:[4711]},
 * kind PRODUCER or CONSUMER, {@code messaging.*}, {@code ipc.*}, {@code thread.id}; a backend sees the same shape
 * whichever of the two exported them. With granularity=stream, a stream (channel, operation and parent span) is one
 * span with an event per operation, ended after {@code stream.idle.ms} without operations or at
 * {@link #MAX_STREAM_EVENTS} events (the next operation then opens the stream's next span).
 *
 * <p>A summary (operations folded per stream and window, {@link StreamFolder}) is one span shaped as its
 * operations' would be, with {@code ipc.window.operations} the count and {@code messaging.message.body.size} the
 * total; with granularity=stream, one event with those two attributes.
 *
 * <p>At exit, what the SDK holds is sent, but the wait is bounded: none at all when the endpoint refuses a TCP
 * connection (nothing listens there any more), none beyond a short grace once exports fail and none succeeds, and
 * never beyond the deadline the export loop gives. Made by {@link LazyOtlpSpans} once the endpoint answers.
 */
final class OtlpSpans implements OpExporter {

  static final int MAX_STREAM_EVENTS = 1000;
  private static final long IDLE_CHECK_NANOS = 100_000_000L;

  static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
  static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
  static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
  static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
  static final AttributeKey<Long> BYTES = AttributeKey.longKey("messaging.message.body.size");
  static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");
  static final AttributeKey<String> MECHANISM = AttributeKey.stringKey("ipc.mechanism");
  static final AttributeKey<String> CHANNEL = AttributeKey.stringKey("ipc.channel");
  static final AttributeKey<Long> PEER_PID = AttributeKey.longKey("ipc.peer.pid");
  static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  static final AttributeKey<Long> DURATION = AttributeKey.longKey("ipc.duration_ns");
  static final AttributeKey<Long> OPERATIONS = AttributeKey.longKey("ipc.stream.operations");
  /** The operations a summary stands for: the name the collector's window spans use (SEMANTIC-CONVENTIONS.md). */
  static final AttributeKey<Long> WINDOW_OPERATIONS = AttributeKey.longKey("ipc.window.operations");
  /** How long the shutdown waits once exports fail and none succeeds. */
  static final long FAILING_GRACE_NANOS = 300_000_000L;
  /** How long the shutdown may take before the exporter asks whether the endpoint is there. */
  static final long FIRST_LOOK_NANOS = 50_000_000L;

  /**
   * The shaded SDK logs through java.util.logging under its relocated package: a failed export would otherwise be a
   * SEVERE line on the application's stderr every few seconds. Held here, or the logger and its level are collected.
   */
  private static final Logger SDK_LOGGER = Logger.getLogger(sdkPackage());

  /** An open stream span (granularity=stream). */
  private static final class StreamSpan {
    final Span span;
    long lastEndNanos;
    int events;
    long operations;
    long bytes;

    StreamSpan(Span span) {
      this.span = span;
    }
  }

  private final SdkTracerProvider provider;
  private final Reporting reporting;
  private final String endpoint;
  private final Consumer<String> log;
  private final boolean debug;
  private final Tracer tracer;
  private final long epochOffsetNanos;
  private final Granularity granularity;
  private final long streamIdleNanos;
  private final Map<String, StreamSpan> streams = new HashMap<>();
  private long nextIdleCheckNanos;

  private OtlpSpans(SdkTracerProvider provider, Reporting reporting, String endpoint, Granularity granularity,
      long streamIdleMillis, boolean debug, Consumer<String> log) {
    this.provider = provider;
    this.debug = debug;
    this.reporting = reporting;
    this.endpoint = endpoint;
    this.log = log;
    this.tracer = provider.get("io.ipcscope.agent", AgentVersion.VALUE);
    this.epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    this.granularity = granularity;
    this.streamIdleNanos = streamIdleMillis * 1_000_000L;
  }

  /** @param failing whether a failed export was said already: the first that succeeds then says it works again */
  static OtlpSpans create(OtlpSettings settings, Granularity granularity, long streamIdleMillis, boolean debug,
      boolean failing, Consumer<String> log) {
    SDK_LOGGER.setLevel(debug ? null : Level.OFF);
    OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
        .setEndpoint(settings.tracesEndpoint())
        .setCompression(settings.compression())
        .setTimeout(settings.timeout());
    settings.headers().forEach(builder::addHeader);
    Reporting reporting = new Reporting(builder.build(), settings.tracesEndpoint(), failing, log);
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(settings.resource()))
        .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
        .setSpanLimits(SpanLimits.builder().setMaxNumberOfEvents(MAX_STREAM_EVENTS).build())
        .addSpanProcessor(BatchSpanProcessor.builder(reporting)
            .setScheduleDelay(settings.scheduleDelay())
            .setMaxQueueSize(settings.maxQueueSize())
            .build())
        .build();
    return new OtlpSpans(provider, reporting, settings.tracesEndpoint(), granularity, streamIdleMillis, debug, log);
  }

  @Override
  public boolean export(List<IpcOp> ops, List<OpSummary> summaries) {
    for (IpcOp op : ops) {
      if (inStreams(op)) {
        addToStream(op, 0);
      } else {
        start(op).end(epoch(op.endNanos), TimeUnit.NANOSECONDS);
      }
    }
    for (OpSummary summary : summaries) {
      if (inStreams(summary.op)) {
        addToStream(summary.op, summary.count);
      } else {
        Span span = start(summary.op);
        span.setAttribute(WINDOW_OPERATIONS, summary.count);
        span.end(epoch(summary.op.endNanos), TimeUnit.NANOSECONDS);
      }
    }
    long now = System.nanoTime();
    if (now >= nextIdleCheckNanos) { // a busy JVM may never be idle: quiet streams end all the same
      nextIdleCheckNanos = now + IDLE_CHECK_NANOS;
      endQuietStreams(now);
    }
    return true;
  }

  @Override
  public void idle() {
    endQuietStreams(System.nanoTime());
  }

  @Override
  public void close() {
    close(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
  }

  /**
   * Ends the open stream spans and shuts the SDK down, which sends what it holds; waits for that at most until
   * {@code deadlineNanos}, and not at all when nothing listens at the endpoint, nor beyond a short grace while
   * exports fail.
   */
  @Override
  public void close(long deadlineNanos) {
    streams.values().forEach(this::endStream);
    streams.clear();
    CompletableResultCode shutdown = provider.shutdown();
    shutdown.join(Math.max(0, Math.min(FIRST_LOOK_NANOS, deadlineNanos - System.nanoTime())), TimeUnit.NANOSECONDS);
    if (shutdown.isDone()) {
      return; // nothing held, or sent at once
    }
    // unless the last export succeeded, is anybody there at all?
    String down = reporting.failing() || !reporting.succeeded() ? LazyOtlpSpans.unreachable(endpoint) : null;
    if (down == null) {
      while (!shutdown.isDone() && System.nanoTime() < deadlineNanos && !reporting.givenUp()) {
        shutdown.join(20, TimeUnit.MILLISECONDS);
      }
      if (shutdown.isDone()) {
        return;
      }
      down = System.nanoTime() >= deadlineNanos ? "no answer in time" : "exports fail";
    }
    if (debug) {
      log.accept("OTLP export to " + endpoint + " at exit: " + down + "; what was not sent yet is dropped");
    }
  }

  private void endQuietStreams(long now) {
    for (Iterator<StreamSpan> it = streams.values().iterator(); it.hasNext(); ) {
      StreamSpan s = it.next();
      if (now - s.lastEndNanos > streamIdleNanos) {
        endStream(s);
        it.remove();
      }
    }
  }

  private boolean inStreams(IpcOp op) {
    return granularity == Granularity.STREAM && !op.channel.isEmpty() && isTransfer(op);
  }

  /** An event for an operation ({@code folded} 0) or for a summary of {@code folded} operations. */
  private void addToStream(IpcOp op, long folded) {
    String key = op.channel + ' ' + op.operation + ' ' + (op.parent == null ? "" : op.parent.spanId);
    StreamSpan s = streams.get(key);
    if (s == null) {
      s = new StreamSpan(start(op));
      streams.put(key, s);
    }
    s.events++;
    s.operations += Math.max(1, folded);
    s.bytes += Math.max(0, op.bytes);
    s.lastEndNanos = Math.max(s.lastEndNanos, op.endNanos);
    Attributes attributes = folded == 0
        ? Attributes.of(BYTES, op.bytes, THREAD_ID, (long) op.tid, DURATION, op.endNanos - op.startNanos)
        : Attributes.of(BYTES, op.bytes, THREAD_ID, (long) op.tid, WINDOW_OPERATIONS, folded);
    s.span.addEvent(op.operation, attributes, epoch(op.endNanos), TimeUnit.NANOSECONDS);
    if (s.events == MAX_STREAM_EVENTS) {
      endStream(s);
      streams.remove(key);
    }
  }

  private void endStream(StreamSpan s) {
    s.span.setAttribute(OPERATIONS, s.operations);
    s.span.setAttribute(BYTES, s.bytes);
    s.span.end(epoch(s.lastEndNanos), TimeUnit.NANOSECONDS);
  }

  private Span start(IpcOp op) {
    SpanBuilder builder = tracer.spanBuilder(name(op))
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

  /** {@code {operation} {destination}}, as the collector names its spans: {@code write pipe:[4711]}. */
  static String name(IpcOp op) {
    String destination = destination(op);
    return destination.isEmpty() ? op.operation : op.operation + " " + destination;
  }

  /** The channel; a signal's name; for a spawn, the program. */
  private static String destination(IpcOp op) {
    if (!op.channel.isEmpty()) {
      return op.channel;
    }
    String signal = op.attribute("ipc.signal");
    if (signal != null) {
      return signal;
    }
    String command = op.attribute("ipc.child.command");
    if (command != null && !command.isEmpty()) {
      int space = command.indexOf(' ');
      return space < 0 ? command : command.substring(0, space);
    }
    return "";
  }

  static Attributes attributes(IpcOp op) {
    AttributesBuilder a = Attributes.builder().put(MECHANISM, op.mechanism).put(THREAD_ID, (long) op.tid);
    SpanKind kind = kind(op);
    if (kind != SpanKind.INTERNAL) {
      a.put(MESSAGING_SYSTEM, op.mechanism)
          .put(OPERATION_TYPE, kind == SpanKind.PRODUCER ? "send" : "receive")
          .put(OPERATION_NAME, op.operation);
      String destination = destination(op);
      if (!destination.isEmpty()) {
        a.put(DESTINATION, destination);
      }
      String transport = transport(op.mechanism);
      if (transport != null) {
        a.put(TRANSPORT, transport);
      }
    }
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

  private static String transport(String mechanism) {
    switch (mechanism) {
      case "pipe": case "fifo": return "pipe";
      case "unix_socket": case "unix": return "unix";
      case "tcp": return "tcp";
      case "udp": return "udp";
      default: return null;
    }
  }

  private static boolean isTransfer(IpcOp op) {
    return op.operation.equals("read") || op.operation.equals("write") || op.operation.equals("send")
        || op.operation.equals("receive");
  }

  private long epoch(long nanoTime) {
    return nanoTime + epochOffsetNanos;
  }

  /** The SDK's package as relocated into the agent jar ({@code io.opentelemetry} when run from classes). */
  private static String sdkPackage() {
    String name = SdkTracerProvider.class.getName();
    return name.substring(0, name.indexOf(".sdk."));
  }

  /** The exporter, saying in one line when exports start failing and when they work again. */
  private static final class Reporting implements SpanExporter {
    private final SpanExporter delegate;
    private final String endpoint;
    private final Consumer<String> log;
    private final AtomicBoolean failing = new AtomicBoolean();
    /** When exports started failing (System.nanoTime()), while they do. */
    private volatile long failingSinceNanos;
    private volatile boolean succeeded;

    Reporting(SpanExporter delegate, String endpoint, boolean failing, Consumer<String> log) {
      this.delegate = delegate;
      this.failing.set(failing);
      this.failingSinceNanos = System.nanoTime();
      this.endpoint = endpoint;
      this.log = log;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      CompletableResultCode result = delegate.export(spans);
      result.whenComplete(() -> {
        if (result.isSuccess()) {
          succeeded = true;
        }
        if (!result.isSuccess() && failing.compareAndSet(false, true)) {
          failingSinceNanos = System.nanoTime();
          Throwable why = result.getFailureThrowable();
          log.accept("OTLP export to " + endpoint + " failed" + (why == null ? "" : ": " + describe(why))
              + "; spans are dropped until it answers");
        } else if (result.isSuccess() && failing.compareAndSet(true, false)) {
          log.accept("OTLP export to " + endpoint + " works again");
        }
      });
      return result;
    }

    /** Whether the last export that completed failed. */
    boolean failing() {
      return failing.get();
    }

    /** Whether an export ever succeeded. */
    boolean succeeded() {
      return succeeded;
    }

    /** Exports have failed for longer than {@link #FAILING_GRACE_NANOS}, none succeeding: no progress to wait for. */
    boolean givenUp() {
      return failing.get() && System.nanoTime() - failingSinceNanos > FAILING_GRACE_NANOS;
    }

    /**
     * The exception under the SDK's and the HTTP client's wrappers ({@code java.net.ConnectException}), not its own
     * cause (which for a refused connection is a ClosedChannelException, saying less).
     */
    private static Throwable rootCause(Throwable t) {
      Throwable cause = t;
      while (cause.getCause() != null && cause.getCause() != cause && isWrapper(cause)) {
        cause = cause.getCause();
      }
      return cause;
    }

    /**
     * {@code HTTP 400}, {@code java.net.ConnectException}... The SDK's HttpExportException is internal API (and not
     * on our compile path): its response's status is read by name, and without it the cause is said.
     */
    private static String describe(Throwable why) {
      if (isHttpExportException(why)) {
        try {
          Object response = why.getClass().getMethod("getResponse").invoke(why);
          if (response != null) {
            java.lang.reflect.Method status = response.getClass().getMethod("getStatusCode");
            status.setAccessible(true);
            return "HTTP " + status.invoke(response);
          }
        } catch (ReflectiveOperationException | RuntimeException e) {
          // said below, by its cause
        }
      }
      return rootCause(why).toString();
    }

    private static boolean isHttpExportException(Throwable t) {
      return t.getClass().getName().endsWith("FailedExportException$HttpExportException");
    }

    private static boolean isWrapper(Throwable t) {
      return t instanceof java.util.concurrent.CompletionException
          || t instanceof java.util.concurrent.ExecutionException
          || t instanceof java.io.UncheckedIOException
          || isHttpExportException(t);
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
