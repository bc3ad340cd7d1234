package io.ipcscope.cli.backend;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an OTLP receiver's transports hand their decoded requests to: keeps the spans, counts the requests, and
 * says whether to answer them as a healthy backend would. Shared by transport threads and the test thread.
 */
final class TraceSink {
  private final List<ResourceSpans> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger traceRequests = new AtomicInteger();
  private volatile boolean available = true;

  /** Counts a trace export; keeps its spans and returns true when available, returns false (answer an error) else. */
  boolean exportTraces(ExportTraceServiceRequest request) {
    traceRequests.incrementAndGet();
    if (!available) {
      return false;
    }
    received.addAll(request.getResourceSpansList());
    return true;
  }

  /** Metrics and logs are not kept; they are only answered, with an error when the backend plays down. */
  boolean exportOther() {
    return available;
  }

  void available(boolean available) {
    this.available = available;
  }

  List<ResourceSpans> resourceSpans() {
    return List.copyOf(received);
  }

  int traceRequests() {
    return traceRequests.get();
  }

  void clear() {
    received.clear();
    traceRequests.set(0);
  }
}
