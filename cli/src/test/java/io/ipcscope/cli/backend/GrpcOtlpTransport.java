package io.ipcscope.cli.backend;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * OTLP over gRPC: a grpc-java server with the services that opentelemetry-proto generates. Traces are kept,
 * metrics and logs answered; while the sink plays down every call fails with UNAVAILABLE, the status a collector
 * gives when it cannot take data and the one the SDK's exporters retry.
 */
final class GrpcOtlpTransport implements OtlpTransport {
  // A batch of a busy host can exceed gRPC's 4 MiB default; the collector's default limit is higher too.
  private static final int MAX_MESSAGE_BYTES = 64 << 20;

  private final TraceSink sink;
  private Server server;

  GrpcOtlpTransport(TraceSink sink) {
    this.sink = sink;
  }

  @Override
  public int start(int port) throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .addService(new Traces())
        .addService(new Metrics())
        .addService(new Logs())
        .build()
        .start();
    return server.getPort();
  }

  @Override
  public void stop() {
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> void answer(boolean accepted, T response, StreamObserver<T> observer) {
    if (accepted) {
      observer.onNext(response);
      observer.onCompleted();
    } else {
      observer.onError(Status.UNAVAILABLE.withDescription("ipcscope test receiver: unavailable").asRuntimeException());
    }
  }

  private final class Traces extends TraceServiceGrpc.TraceServiceImplBase {
    @Override
    public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> observer) {
      answer(sink.exportTraces(request), ExportTraceServiceResponse.getDefaultInstance(), observer);
    }
  }

  private final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> observer) {
      answer(sink.exportOther(), ExportMetricsServiceResponse.getDefaultInstance(), observer);
    }
  }

  private final class Logs extends LogsServiceGrpc.LogsServiceImplBase {
    @Override
    public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> observer) {
      answer(sink.exportOther(), ExportLogsServiceResponse.getDefaultInstance(), observer);
    }
  }
}
