package io.ipcscope.collector.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.flow.CausalOrder;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.Events;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --spans window}: a span per side of a conversation and window, with counts. */
class SpanWindowTest {

  private static final long EPOCH_OFFSET = 1_700_000_000_000_000_000L;
  private static final long WINDOW = 1_000;

  private final List<SpanData> spans = new ArrayList<>();
  private final ProcessTable processes = new ProcessTable();
  private final SpanFactory factory = new SpanFactory(
      new ProcessResources(processes, ProcessResources.hostResource("box", Attributes.empty())), EPOCH_OFFSET,
      SpanFactory.Options.defaults(7).windowed(WINDOW), spans::add);
  private final CausalOrder order = new CausalOrder(1_000_000, factory);

  private void feed(IpcEvent... events) {
    for (IpcEvent e : events) {
      processes.apply(e);
      order.accept(new ResolvedEvent(e, e.comm(), 0, "", ChannelTable.channelOf(e).orElse(null), "", false, 0,
          List.of()));
    }
  }

  /** name, kind, service, operations, bytes, start, end (relative to the epoch offset): everything but ids. */
  private static String describe(SpanData s) {
    Attributes a = s.getAttributes();
    return String.join(" ", s.getName(), s.getKind().name(),
        s.getResource().getAttribute(AttributeKey.stringKey("service.name")),
        "ops=" + a.get(AttributeKey.longKey("ipc.window.operations")),
        "bytes=" + a.get(AttributeKey.longKey("messaging.message.body.size")),
        "pairing=" + a.get(AttributeKey.stringKey("ipc.pairing")),
        "latency=" + a.get(AttributeKey.longKey("ipc.latency_ns")),
        (s.getStartEpochNanos() - EPOCH_OFFSET) + ".." + (s.getEndEpochNanos() - EPOCH_OFFSET));
  }

  @Test
  void aBusyPipeIsOneProducerAndOneConsumerSpanPerWindow() {
    feed(Events.pipeCreate(1, 10, "sh", 1, 0),
        Events.pipeWrite(100, 100, "a", 1, 6),
        Events.pipeWrite(200, 100, "a", 1, 4),
        Events.pipeRead(300, 200, "b", 1, 10),
        Events.pipeWrite(400, 100, "a", 1, 5),
        Events.pipeRead(500, 200, "b", 1, 5));
    assertThat(spans).isEmpty(); // the windows are still open

    feed(Events.pipeWrite(1_200, 100, "a", 1, 1), // a's first window is over: emitted, a second one opens
        Events.pipeRead(1_300, 200, "b", 1, 1));
    factory.drain();

    assertThat(spans).extracting(SpanWindowTest::describe).containsExactly(
        "write pipe:[1] PRODUCER a ops=3 bytes=15 pairing=null latency=null 100..400",
        "read pipe:[1] CONSUMER b ops=2 bytes=15 pairing=exact latency=200 100..500",
        "write pipe:[1] PRODUCER a ops=1 bytes=1 pairing=null latency=null 1200..1200",
        "read pipe:[1] CONSUMER b ops=1 bytes=1 pairing=exact latency=100 1200..1300");
    assertThat(spans.get(0).getParentSpanContext().isValid()).isFalse();
    assertThat(spans.get(1).getParentSpanId()).isEqualTo(spans.get(0).getSpanId());
    assertThat(spans.get(1).getTraceId()).isEqualTo(spans.get(0).getTraceId());
    assertThat(spans.get(2).getParentSpanContext().isValid()).isFalse(); // a consumed nothing: a new trace
    assertThat(spans.get(2).getTraceId()).isNotEqualTo(spans.get(0).getTraceId());
    assertThat(spans.get(3).getParentSpanId()).isEqualTo(spans.get(2).getSpanId());
    assertThat(spans).allSatisfy(s -> assertThat(s.getLinks()).isEmpty());
  }

  @Test
  void windowsChainAcrossAPipelineAsOperationsDo() {
    // sh -c 'a | b | c', two records through it
    feed(Events.pipeCreate(1, 10, "sh", 1, 0),
        Events.pipeCreate(2, 10, "sh", 2, 0),
        Events.pipeWrite(100, 100, "a", 1, 6),
        Events.pipeRead(200, 200, "b", 1, 6),
        Events.pipeWrite(300, 200, "b", 2, 6),
        Events.pipeRead(400, 300, "c", 2, 6),
        Events.pipeWrite(500, 100, "a", 1, 6),
        Events.pipeRead(600, 200, "b", 1, 6),
        Events.pipeWrite(700, 200, "b", 2, 6),
        Events.pipeRead(800, 300, "c", 2, 6));
    factory.drain();

    assertThat(spans).extracting(SpanWindowTest::describe).containsExactly(
        "write pipe:[1] PRODUCER a ops=2 bytes=12 pairing=null latency=null 100..500",
        "read pipe:[1] CONSUMER b ops=2 bytes=12 pairing=exact latency=100 100..600",
        "write pipe:[2] PRODUCER b ops=2 bytes=12 pairing=null latency=null 300..700",
        "read pipe:[2] CONSUMER c ops=2 bytes=12 pairing=exact latency=100 300..800");
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(spans.get(0).getTraceId());
    for (int i = 1; i < spans.size(); i++) {
      assertThat(spans.get(i).getParentSpanId()).isEqualTo(spans.get(i - 1).getSpanId());
    }
  }

  @Test
  void aReadTakingFromTheProducersNextWindowLinksIt() {
    feed(Events.pipeCreate(1, 10, "sh", 1, 0),
        Events.pipeWrite(100, 100, "a", 1, 3),
        Events.pipeRead(200, 200, "b", 1, 3),
        Events.pipeWrite(1_100, 100, "a", 1, 3), // a's second window; b's first is still open at 1 150
        Events.pipeRead(1_150, 200, "b", 1, 3));
    factory.drain();

    assertThat(spans).extracting(SpanWindowTest::describe).containsExactly(
        "write pipe:[1] PRODUCER a ops=1 bytes=3 pairing=null latency=null 100..100",
        "read pipe:[1] CONSUMER b ops=2 bytes=6 pairing=exact latency=100 100..1150",
        "write pipe:[1] PRODUCER a ops=1 bytes=3 pairing=null latency=null 1100..1100");
    SpanData read = spans.get(1);
    assertThat(read.getParentSpanId()).isEqualTo(spans.get(0).getSpanId());
    assertThat(read.getLinks()).extracting(l -> l.getSpanContext().getSpanId())
        .containsExactly(spans.get(2).getSpanId());
  }

  @Test
  void flushEmitsOnlyTheWindowsThatAreOver() {
    feed(Events.pipeCreate(1, 10, "sh", 1, 0),
        Events.pipeWrite(100, 100, "a", 1, 3),
        Events.pipeRead(600, 200, "b", 1, 3));

    factory.flush(1_099);
    assertThat(spans).isEmpty();
    factory.flush(1_100);
    assertThat(spans).extracting(SpanData::getKind).containsExactly(SpanKind.PRODUCER);
    factory.flush(1_600);
    assertThat(spans).extracting(SpanData::getKind).containsExactly(SpanKind.PRODUCER, SpanKind.CONSUMER);
    assertThat(factory.openWindows()).isZero();
  }
}
