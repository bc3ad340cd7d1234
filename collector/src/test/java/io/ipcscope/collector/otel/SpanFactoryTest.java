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

class SpanFactoryTest {

  private static final long EPOCH_OFFSET = 1_700_000_000_000_000_000L;

  private final List<SpanData> spans = new ArrayList<>();
  private final ProcessTable processes = new ProcessTable();

  private CausalOrder pipeline(SpanFactory.Options options) {
    ProcessResources resources = new ProcessResources(processes, ProcessResources.hostResource("box", Attributes.empty()));
    SpanFactory factory = new SpanFactory(resources, EPOCH_OFFSET, options, spans::add);
    return new CausalOrder(1_000_000, factory);
  }

  private void feed(CausalOrder order, IpcEvent... events) {
    for (IpcEvent e : events) {
      processes.apply(e);
      order.accept(new ResolvedEvent(e, e.comm(), 0, "", ChannelTable.channelOf(e).orElse(null), "", false, 0,
          List.of()));
    }
  }

  private static String service(SpanData span) {
    return span.getResource().getAttribute(AttributeKey.stringKey("service.name"));
  }

  @Test
  void aPipeWriteAndTheReadThatTookItAreAProducerAndItsConsumerInOneTrace() {
    feed(pipeline(SpanFactory.Options.defaults(7)),
        Events.pipeCreate(1_000, 100, "writer", 55, 0),
        Events.pipeWrite(2_000, 100, "writer", 55, 12),
        Events.pipeRead(5_000, 200, "reader", 55, 12));

    assertThat(spans).hasSize(2);
    SpanData producer = spans.get(0);
    SpanData consumer = spans.get(1);
    assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(producer.getName()).isEqualTo("write pipe:[55]");
    assertThat(producer.getParentSpanContext().isValid()).isFalse();
    assertThat(service(producer)).isEqualTo("writer");
    assertThat(producer.getResource().getAttribute(AttributeKey.longKey("process.pid"))).isEqualTo(100L);
    assertThat(producer.getResource().getAttribute(AttributeKey.stringKey("host.name"))).isEqualTo("box");
    assertThat(producer.getStartEpochNanos()).isEqualTo(EPOCH_OFFSET + 2_000);

    assertThat(consumer.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(consumer.getName()).isEqualTo("read pipe:[55]");
    assertThat(service(consumer)).isEqualTo("reader");
    assertThat(consumer.getTraceId()).isEqualTo(producer.getTraceId());
    assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
    assertThat(consumer.getStartEpochNanos()).isEqualTo(EPOCH_OFFSET + 2_000);
    assertThat(consumer.getEndEpochNanos()).isEqualTo(EPOCH_OFFSET + 5_000);
    Attributes a = consumer.getAttributes();
    assertThat(a.get(AttributeKey.stringKey("messaging.system"))).isEqualTo("pipe");
    assertThat(a.get(AttributeKey.stringKey("messaging.operation.type"))).isEqualTo("receive");
    assertThat(a.get(AttributeKey.longKey("messaging.message.body.size"))).isEqualTo(12L);
    assertThat(a.get(AttributeKey.stringKey("ipc.pairing"))).isEqualTo("exact");
    assertThat(a.get(AttributeKey.longKey("ipc.latency_ns"))).isEqualTo(3_000L);
    assertThat(a.get(AttributeKey.longKey("thread.id"))).isEqualTo(200L);
  }

  @Test
  void aThreePipelineIsOneTraceAcrossThreeProcesses() {
    // sh -c 'a | b | c': a writes pipe 1, b reads it and writes pipe 2, c reads that
    feed(pipeline(SpanFactory.Options.defaults(7)),
        Events.pipeCreate(1, 10, "sh", 1, 0),
        Events.pipeCreate(2, 10, "sh", 2, 0),
        Events.pipeWrite(100, 100, "a", 1, 6),
        Events.pipeRead(200, 200, "b", 1, 6),
        Events.pipeWrite(300, 200, "b", 2, 6),
        Events.pipeRead(400, 300, "c", 2, 6));

    assertThat(spans).extracting(SpanFactoryTest::service).containsExactly("a", "b", "b", "c");
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(spans.get(0).getTraceId());
    for (int i = 1; i < spans.size(); i++) {
      assertThat(spans.get(i).getParentSpanId()).isEqualTo(spans.get(i - 1).getSpanId());
    }
  }

  @Test
  void withoutChainingEachProducerStartsItsOwnTrace() {
    feed(pipeline(new SpanFactory.Options(false, 0, 16, 7)),
        Events.pipeCreate(1, 10, "sh", 1, 0),
        Events.pipeCreate(2, 10, "sh", 2, 0),
        Events.pipeWrite(100, 100, "a", 1, 6),
        Events.pipeRead(200, 200, "b", 1, 6),
        Events.pipeWrite(300, 200, "b", 2, 6));

    assertThat(spans.get(2).getParentSpanContext().isValid()).isFalse();
    assertThat(spans.get(2).getTraceId()).isNotEqualTo(spans.get(0).getTraceId());
  }

  @Test
  void aReadOfTwoWritesIsAChildOfTheFirstAndLinkedToTheSecond() {
    feed(pipeline(SpanFactory.Options.defaults(7)),
        Events.pipeCreate(1, 10, "sh", 1, 0),
        Events.pipeWrite(100, 100, "a", 1, 3),
        Events.pipeWrite(110, 100, "a", 1, 3),
        Events.pipeRead(200, 200, "b", 1, 6));

    SpanData read = spans.get(2);
    assertThat(read.getParentSpanId()).isEqualTo(spans.get(0).getSpanId());
    assertThat(read.getLinks()).extracting(l -> l.getSpanContext().getSpanId()).containsExactly(spans.get(1).getSpanId());
  }

  @Test
  void aTraceEndsAfterMaxHopsAndTheNextProduceStartsAnother() {
    // a ping-pong: a writes, b reads and answers, a reads and writes again...
    feed(pipeline(new SpanFactory.Options(true, 1_000_000_000L, 2, 7)),
        Events.pipeCreate(1, 10, "sh", 1, 0),
        Events.pipeCreate(2, 10, "sh", 2, 0),
        Events.pipeWrite(100, 100, "a", 1, 1),
        Events.pipeRead(200, 200, "b", 1, 1),
        Events.pipeWrite(300, 200, "b", 2, 1),
        Events.pipeRead(400, 100, "a", 2, 1),
        Events.pipeWrite(500, 100, "a", 1, 1),
        Events.pipeRead(600, 200, "b", 1, 1));

    String first = spans.get(0).getTraceId();
    assertThat(spans.subList(0, 4)).extracting(SpanData::getTraceId).containsOnly(first);
    assertThat(spans.get(4).getTraceId()).isNotEqualTo(first); // the third produce: two hops were taken
    assertThat(spans.get(4).getParentSpanContext().isValid()).isFalse();
    assertThat(spans.get(5).getTraceId()).isEqualTo(spans.get(4).getTraceId());
  }

  @Test
  void theSameSeedGivesTheSameIds() {
    List<String> first = idsOfARun();
    spans.clear();
    assertThat(idsOfARun()).isEqualTo(first);
  }

  private List<String> idsOfARun() {
    feed(pipeline(SpanFactory.Options.defaults(42)),
        Events.pipeCreate(1, 10, "sh", 1, 0),
        Events.pipeWrite(100, 100, "a", 1, 3),
        Events.pipeRead(200, 200, "b", 1, 3));
    return spans.stream().map(s -> s.getTraceId() + "/" + s.getSpanId()).toList();
  }
}
