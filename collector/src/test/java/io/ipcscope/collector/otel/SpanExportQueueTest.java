package io.ipcscope.collector.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpanExportQueueTest {

  private static final SpanData SPAN = new IpcSpan("write pipe:[1]", SpanKind.PRODUCER, SpanContext.getInvalid(),
      SpanContext.getInvalid(), 1, 1, Attributes.empty(), List.of(), StatusData.unset(), Resource.empty());

  /** An exporter whose backend never answers: every export hangs until the test lets go. */
  private static final class Stuck implements SpanExporter {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      calls.incrementAndGet();
      CompletableResultCode result = new CompletableResultCode();
      new Thread(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        result.fail();
      }).start();
      return result;
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      release.countDown();
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void aBackendThatNeverAnswersCostsCountedSpansNotMemory() throws Exception {
    Stuck backend = new Stuck();
    SpanExportQueue queue = new SpanExportQueue(backend, 4_096, 512, 10);
    for (int i = 0; i < 1_000_000; i++) {
      queue.accept(SPAN);
    }
    queue.flush();
    // one batch is with the backend; the queue holds at most its capacity; everything else was dropped, counted
    assertThat(queue.queued()).isLessThanOrEqualTo(4_096);
    assertThat(queue.dropped()).isGreaterThanOrEqualTo(1_000_000 - 4_096 - 2 * 512 - SpanExportQueue.HANDOFF);
    backend.release.countDown();
    queue.close(5_000);
    assertThat(queue.exported()).isZero();
    assertThat(queue.exported() + queue.failed() + queue.dropped()).as("every span accounted for").isEqualTo(1_000_000);
  }

  @Test
  void everyAcceptedSpanIsExportedByClose() {
    AtomicInteger exported = new AtomicInteger();
    SpanExporter counting = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        exported.addAndGet(spans.size());
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
    };
    SpanExportQueue queue = new SpanExportQueue(counting, 65_536, 512, 1_000);
    for (int i = 0; i < 10_001; i++) {
      queue.accept(SPAN); // 10 001: the last bundle is not full, close() must hand it over
    }
    queue.close(5_000);
    assertThat(exported.get()).isEqualTo(10_001);
    assertThat(queue.exported()).isEqualTo(10_001);
    assertThat(queue.dropped()).isZero();
  }
}
