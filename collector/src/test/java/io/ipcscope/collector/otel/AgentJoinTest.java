package io.ipcscope.collector.otel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.agent.AgentInbox;
import io.ipcscope.collector.agent.AgentMessage;
import io.ipcscope.collector.agent.AgentOp;
import io.ipcscope.collector.flow.CausalEvent;
import io.ipcscope.collector.flow.CausalOrder;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The join of JVM agents' operations with kernel events, on synthetic events: which span is whose parent, in which
 * trace, and what waits for what. The JVM is pid 100 (its operations on thread 101), {@code sort} pid 200.
 */
class AgentJoinTest {

  private static final long EPOCH = 1_700_000_000_000_000_000L;
  private static final long MS = 1_000_000L;
  private static final int JVM = 100;
  private static final int THREAD = 101;
  private static final int SORT = 200;
  private static final String APP_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String APP_SPAN = "b7ad6b7169203331";

  private final List<SpanData> spans = new ArrayList<>();
  private final List<CausalEvent> tail = new ArrayList<>();
  private final ProcessTable processes = new ProcessTable();
  private final AgentInbox inbox = new AgentInbox(1_000);
  private AgentJoin join;
  private CausalOrder order;

  @BeforeEach
  void pipeline() {
    ProcessResources resources = new ProcessResources(processes, ProcessResources.hostResource("box",
        Attributes.empty()));
    SpanFactory factory = new SpanFactory(resources, EPOCH, SpanFactory.Options.defaults(7), spans::add);
    join = AgentJoin.of(factory, EPOCH, spans::add, tail::add)
        .withAgents(inbox, new AgentJoin.Options(250 * MS, 1_000 * MS, 1_000, 1_000));
    order = new CausalOrder(MS, join);
    feed(event(1, JVM, JVM, "java", Mechanism.PIPE, Operation.CREATE, 55, 0, 0, 0),
        event(2, JVM, JVM, "java", Mechanism.PIPE, Operation.CREATE, 56, 0, 0, 0),
        event(3, SORT, SORT, "sort", Mechanism.PIPE, Operation.CREATE, 57, 0, 0, 0));
  }

  @Test
  void aJvmWriteIsTheParentOfTheKernelWriteAndSoOfSortsRead() {
    hello();
    agent(write("00000000000000a1", "pipe:[55]", 2_000, 3_000, "", ""), mark(100 * MS));
    feed(pipeWrite(2_500, JVM, THREAD, 55, 6), pipeRead(4_000, SORT, 55, 6));

    assertThat(spans).hasSize(3);
    SpanData jvm = jvm();
    SpanData kernelWrite = kernel("write pipe:[55]");
    SpanData sortRead = kernel("read pipe:[55]");
    assertThat(jvm.getSpanId()).isEqualTo("00000000000000a1");
    assertThat(jvm.getName()).isEqualTo("write pipe:[55]");
    assertThat(jvm.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(jvm.getParentSpanContext().isValid()).isFalse();
    assertThat(jvm.getStartEpochNanos()).isEqualTo(EPOCH + 2_000);
    assertThat(jvm.getEndEpochNanos()).isEqualTo(EPOCH + 3_000);
    assertThat(jvm.getInstrumentationScopeInfo().getName()).isEqualTo("io.ipcscope.agent");
    assertThat(jvm.getInstrumentationScopeInfo().getVersion()).isEqualTo("0.1.0");
    assertThat(jvm.getResource()).isSameAs(kernelWrite.getResource()); // the JVM's process, as its kernel spans
    assertThat(jvm.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("java");
    assertThat(jvm.getAttributes().asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
        AttributeKey.stringKey("messaging.system"), "pipe",
        AttributeKey.stringKey("messaging.operation.name"), "write",
        AttributeKey.stringKey("messaging.operation.type"), "send",
        AttributeKey.stringKey("messaging.destination.name"), "pipe:[55]",
        AttributeKey.longKey("messaging.message.body.size"), 6L,
        AttributeKey.longKey("thread.id"), (long) THREAD,
        AttributeKey.stringKey("ipc.mechanism"), "pipe",
        AttributeKey.stringKey("ipc.channel"), "pipe:[55]",
        AttributeKey.longKey("ipc.peer.pid"), (long) SORT,
        AttributeKey.stringKey("ipc.stream"), "stdin"));

    assertThat(kernelWrite.getName()).isEqualTo("write pipe:[55]");
    assertThat(kernelWrite.getInstrumentationScopeInfo().getName()).isEqualTo("io.ipcscope.collector");
    assertThat(kernelWrite.getParentSpanId()).isEqualTo("00000000000000a1");
    assertThat(kernelWrite.getTraceId()).isEqualTo(jvm.getTraceId());
    assertThat(sortRead.getName()).isEqualTo("read pipe:[55]");
    assertThat(sortRead.getParentSpanId()).isEqualTo(kernelWrite.getSpanId());
    assertThat(sortRead.getTraceId()).isEqualTo(jvm.getTraceId());
    assertThat(join.health()).isEqualTo(new AgentHealth(1, 1, 0, 0, 1, 6, 0, 0, 1, 0, 0, 0));
    assertThat(tail).hasSize(5); // every kernel event went on to the tail, the creates too
  }

  @Test
  void whenTheAgentCannotNameThePeerTheJvmSpanNamesTheOneTheKernelNamed() {
    hello();
    AgentOp unnamed = new AgentOp(JVM, "00000000000000a1", "pipe", "write", "pipe:[55]", 6, 0, THREAD, 2_000, 3_000,
        "", "", true, List.of());
    agent(new AgentMessage.Op(unnamed), mark(100 * MS));
    feed(event(2_500, JVM, THREAD, "java", Mechanism.PIPE, Operation.WRITE, 55, 6, SORT, 0));

    assertThat(jvm().getAttributes().get(AttributeKey.longKey("ipc.peer.pid"))).isEqualTo(SORT);
    assertThat(join.health().joined()).isEqualTo(1);
  }

  @Test
  void anOperationOfAThreadThatCouldNotBeNamedHasNoThreadIdAndJoinsNothing() {
    hello();
    AgentOp threadless = new AgentOp(JVM, "00000000000000a1", "pipe", "write", "pipe:[55]", 6, SORT, 0, 2_000,
        3_000, "", "", true, List.of());
    agent(new AgentMessage.Op(threadless), mark(100 * MS));
    feed(pipeWrite(2_500, JVM, THREAD, 55, 6));
    join.flush(2_000 * MS);

    assertThat(jvm().getAttributes().get(AttributeKey.longKey("thread.id"))).isNull();
    assertThat(jvm().getAttributes().get(AttributeKey.longKey("ipc.peer.pid"))).isEqualTo(SORT);
    assertThat(kernel("write pipe:[55]").getParentSpanContext().isValid()).isFalse();
    assertThat(join.health().unjoined()).isEqualTo(1);
  }

  /** The kernel makes no span of a read that moved nothing: the JVM's goes out at once, and is not unjoined. */
  @Test
  void aReadAtTheEndOfAStreamGoesOutAtOnceAndIsNotUnjoined() {
    hello();
    agent(new AgentMessage.Op(new AgentOp(JVM, "00000000000000e0", "pipe", "read", "pipe:[57]", -1, SORT, THREAD,
        4_000, 5_000, "", "", true, List.of())), mark(100 * MS));
    feed(event(4_500, JVM, THREAD, "java", Mechanism.PIPE, Operation.READ, 57, 0, 0, 0));
    join.flush(5_000 * MS);

    assertThat(jvm().getName()).isEqualTo("read pipe:[57]");
    assertThat(jvm().getAttributes().get(AttributeKey.longKey("messaging.message.body.size"))).isNull();
    assertThat(join.health().joined()).isZero();
    assertThat(join.health().unjoined()).isZero();
  }

  @Test
  void aKernelWriteWaitsForTheAgentsMarkAndEverythingBehindItWaitsToo() {
    hello();
    agent(mark(0));
    feed(pipeWrite(2_500, JVM, THREAD, 55, 6), pipeRead(4_000, SORT, 55, 6));
    assertThat(spans).isEmpty();
    assertThat(join.heldNow()).isEqualTo(2);

    agent(write("00000000000000a1", "pipe:[55]", 2_000, 3_000, "", ""), mark(2_500 + 9 * MS));
    join.flush(5_000);
    assertThat(spans).as("a mark must pass the event by 10 ms: the JVM call returns after the syscall").isEmpty();

    agent(mark(2_500 + 10 * MS));
    join.flush(6_000);
    assertThat(spans).hasSize(3);
    assertThat(jvm().getSpanId()).isEqualTo("00000000000000a1");
    assertThat(kernel("write pipe:[55]").getParentSpanId()).isEqualTo("00000000000000a1");
    assertThat(kernel("read pipe:[55]").getParentSpanId()).isEqualTo(kernel("write pipe:[55]").getSpanId());
    assertThat(join.heldNow()).isZero();
    assertThat(join.health().held()).as("only the JVM's event waited for its agent").isEqualTo(1);
    assertThat(join.health().joined()).isEqualTo(1);
    assertThat(join.health().holdTimeouts()).isZero();
  }

  @Test
  void anAgentThatSaysNothingHoldsItsEventsOnlyUntilTheTimeoutAndItsLateOperationGoesOutUnjoined() {
    hello();
    feed(pipeWrite(2_500, JVM, THREAD, 55, 6), pipeRead(4_000, SORT, 55, 6));
    join.flush(2_500 + 250 * MS - 1);
    assertThat(spans).isEmpty();
    join.flush(2_500 + 250 * MS);
    assertThat(spans).extracting(SpanData::getName).containsExactly("write pipe:[55]", "read pipe:[55]");
    assertThat(spans.get(0).getParentSpanContext().isValid()).isFalse();
    assertThat(join.health().holdTimeouts()).isEqualTo(1);

    agent(write("00000000000000a1", "pipe:[55]", 2_000, 3_000, "", ""), mark(300 * MS));
    join.flush(3_000 + 1_000 * MS - 1);
    assertThat(spans).hasSize(2);
    join.flush(3_000 + 1_000 * MS);
    assertThat(spans).hasSize(3);
    SpanData jvm = spans.get(2);
    assertThat(jvm.getSpanId()).isEqualTo("00000000000000a1");
    assertThat(jvm.getParentSpanContext().isValid()).isFalse();
    assertThat(jvm.getTraceId()).isNotEqualTo(spans.get(0).getTraceId());
    assertThat(join.health().unjoined()).isEqualTo(1);
    assertThat(join.health().joined()).isZero();
  }

  @Test
  void inTheApplicationsTraceTheJvmWriteIsTheApplicationSpansChildAndTheKernelWriteItsOwn() {
    hello();
    agent(write("00000000000000a1", "pipe:[55]", 2_000, 3_000, APP_TRACE, APP_SPAN), mark(100 * MS));
    feed(pipeWrite(2_500, JVM, THREAD, 55, 6), pipeRead(4_000, SORT, 55, 6));

    assertThat(spans).hasSize(3);
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(APP_TRACE);
    assertThat(jvm().getParentSpanId()).isEqualTo(APP_SPAN);
    assertThat(jvm().getParentSpanContext().isRemote()).isTrue();
    assertThat(kernel("write pipe:[55]").getParentSpanId()).isEqualTo("00000000000000a1");
    assertThat(kernel("read pipe:[55]").getParentSpanId()).isEqualTo(kernel("write pipe:[55]").getSpanId());
  }

  @Test
  void aJvmReadWithoutAnApplicationSpanIsTheChildOfTheKernelReadInTheWritersTrace() {
    hello();
    agent(read("00000000000000b2", "pipe:[57]", 4_000, 6_000, "", ""), mark(100 * MS));
    feed(pipeWrite(1_000, SORT, SORT, 57, 6), pipeRead(5_000, JVM, THREAD, 57, 6));

    assertThat(spans).extracting(SpanData::getName)
        .containsExactly("write pipe:[57]", "read pipe:[57]", "read pipe:[57]");
    SpanData sortWrite = spans.get(0);
    SpanData kernelRead = spans.get(1);
    SpanData jvm = spans.get(2);
    assertThat(kernelRead.getParentSpanId()).isEqualTo(sortWrite.getSpanId());
    assertThat(kernelRead.getLinks()).isEmpty();
    assertThat(jvm.getSpanId()).isEqualTo("00000000000000b2");
    assertThat(jvm.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(jvm.getParentSpanId()).isEqualTo(kernelRead.getSpanId());
    assertThat(jvm.getTraceId()).isEqualTo(sortWrite.getTraceId());
    assertThat(jvm.getLinks()).isEmpty();
    assertThat(jvm.getAttributes().get(AttributeKey.stringKey("messaging.operation.type"))).isEqualTo("receive");
    assertThat(join.health().joined()).isEqualTo(1);
  }

  @Test
  void aJvmReadInTheApplicationsTraceAndTheKernelReadLinkEachOther() {
    hello();
    agent(read("00000000000000b2", "pipe:[57]", 4_000, 6_000, APP_TRACE, APP_SPAN), mark(100 * MS));
    feed(pipeWrite(1_000, SORT, SORT, 57, 6), pipeRead(5_000, JVM, THREAD, 57, 6));

    SpanData sortWrite = spans.get(0);
    SpanData kernelRead = spans.get(1);
    SpanData jvm = spans.get(2);
    assertThat(kernelRead.getTraceId()).isEqualTo(sortWrite.getTraceId());
    assertThat(kernelRead.getParentSpanId()).isEqualTo(sortWrite.getSpanId());
    assertThat(kernelRead.getLinks()).extracting(l -> l.getSpanContext().getSpanId())
        .containsExactly("00000000000000b2");
    assertThat(jvm.getTraceId()).isEqualTo(APP_TRACE);
    assertThat(jvm.getParentSpanId()).isEqualTo(APP_SPAN);
    assertThat(jvm.getLinks()).extracting(LinkData::getSpanContext)
        .containsExactly(kernelRead.getSpanContext());
  }

  @Test
  void processDestroyIsTheParentOfTheKernelsSignalSendAndSoOfTheChildsDelivery() {
    hello();
    agent(new AgentMessage.Op(new AgentOp(JVM, "00000000000000c3", "signal", "kill", "", -1, 300, THREAD, 1_000,
        3_000, "", "", true, List.of(Map.entry("ipc.signal", "SIGTERM"), Map.entry("ipc.api", "Process.destroy")))),
        mark(100 * MS));
    feed(event(2_000, JVM, THREAD, "java", Mechanism.SIGNAL, Operation.SEND, 0, 0, 300, 15),
        event(5_000, 300, 300, "sh", Mechanism.SIGNAL, Operation.DELIVER, 0, 0, JVM, 15));

    assertThat(spans).hasSize(3);
    SpanData kill = jvm();
    assertThat(kill.getName()).isEqualTo("kill SIGTERM");
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(kill.getTraceId());
    assertThat(kill.getSpanId()).isEqualTo("00000000000000c3");
    assertThat(kill.getAttributes().get(AttributeKey.longKey("ipc.peer.pid"))).isEqualTo(300L);
    assertThat(kill.getAttributes().get(AttributeKey.stringKey("ipc.api"))).isEqualTo("Process.destroy");
    assertThat(kill.getAttributes().get(AttributeKey.longKey("messaging.message.body.size"))).isNull();
    assertThat(kernel("send SIGTERM").getParentSpanId()).isEqualTo("00000000000000c3");
    assertThat(kernel("deliver SIGTERM").getParentSpanId()).isEqualTo(kernel("send SIGTERM").getSpanId());
  }

  @Test
  void aKillWhoseTargetTheCollectorCouldNotNameJoinsByThreadTimeAndSignalAndTakesTheKernelsTarget() {
    hello();
    agent(new AgentMessage.Op(new AgentOp(JVM, "00000000000000c3", "signal", "kill", "", -1, 0, THREAD, 1_000,
        3_000, "", "", true, List.of(Map.entry("ipc.signal", "SIGTERM")))), mark(100 * MS));
    feed(event(1_500, JVM, THREAD, "java", Mechanism.SIGNAL, Operation.SEND, 0, 0, 300, 9),
        event(2_000, JVM, THREAD, "java", Mechanism.SIGNAL, Operation.SEND, 0, 0, 300, 15));

    SpanData kill = jvm();
    assertThat(kill.getAttributes().get(AttributeKey.longKey("ipc.peer.pid"))).isEqualTo(300L);
    assertThat(kernel("send SIGTERM").getParentSpanId()).isEqualTo("00000000000000c3");
    assertThat(kernel("send SIGKILL").getParentSpanContext().isValid()).as("another signal").isFalse();
    assertThat(join.health().joined()).isEqualTo(1);
  }

  @Test
  void anotherChannelAnotherThreadOrAnotherTimeDoesNotJoin() {
    hello();
    agent(write("00000000000000a1", "pipe:[56]", 2_000, 3_000, "", ""), mark(100 * MS));
    feed(pipeWrite(2_500, JVM, THREAD, 55, 6), // the thread's, in time, but pipe 55
        pipeWrite(2_600, JVM, THREAD + 1, 56, 6), // pipe 56 in time, on another thread
        pipeWrite(3_001, JVM, THREAD, 56, 6)); // pipe 56 on the thread, after the call

    assertThat(spans).extracting(SpanData::getName).containsExactly("write pipe:[55]", "write pipe:[56]",
        "write pipe:[56]", "write pipe:[56]");
    assertThat(spans.subList(0, 3)).allSatisfy(s -> assertThat(s.getParentSpanContext().isValid()).isFalse());
    SpanData jvm = spans.get(3);
    assertThat(jvm.getSpanId()).as("out as soon as its thread's next event passed its end").isEqualTo(
        "00000000000000a1");
    assertThat(spans.subList(0, 3)).allSatisfy(s -> assertThat(s.getTraceId()).isNotEqualTo(jvm.getTraceId()));
    assertThat(join.health().unjoined()).isEqualTo(1);
    assertThat(join.health().joined()).isZero();
  }

  @Test
  void aSpawnHasNoKernelSpanToJoinAndGoesOutAtOnce() {
    hello();
    agent(new AgentMessage.Op(new AgentOp(JVM, "00000000000000d4", "process", "spawn", "", -1, SORT, THREAD, 1_000,
        2_000, "", "", true, List.of(Map.entry("ipc.child.command", "sort -n")))));
    join.flush(2_000);

    assertThat(spans).hasSize(1);
    assertThat(spans.get(0).getName()).isEqualTo("spawn process");
    assertThat(spans.get(0).getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("ipc.child.command"))).isEqualTo("sort -n");
    assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("messaging.operation.type"))).isNull();
    assertThat(join.health().joined() + join.health().unjoined()).isZero();
  }

  @Test
  void aSummaryIsOneSpanWithItsCountAndTheKernelEventsOfItsWindowAreAsWithoutAnAgent() {
    hello();
    agent(write("00000000000000a1", "pipe:[55]", 2_000, 3_000, "", ""),
        summary("00000000000000b2", 5_000, 90_000, 4_900, 29_400, "", ""), mark(100 * MS));
    feed(pipeWrite(2_500, JVM, THREAD, 55, 6), pipeWrite(6_000, JVM, THREAD, 55, 6), pipeRead(7_000, SORT, 55, 6),
        pipeWrite(89_000, JVM, THREAD, 55, 6));
    join.flush(200 * MS);

    List<SpanData> jvm = spans.stream()
        .filter(s -> s.getInstrumentationScopeInfo().getName().equals("io.ipcscope.agent")).toList();
    assertThat(jvm).extracting(SpanData::getSpanId).containsExactlyInAnyOrder("00000000000000a1", "00000000000000b2");
    SpanData summary = jvm.stream().filter(s -> s.getSpanId().equals("00000000000000b2")).findFirst().orElseThrow();
    assertThat(summary.getName()).isEqualTo("write pipe:[55]");
    assertThat(summary.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(summary.getParentSpanContext().isValid()).isFalse();
    assertThat(summary.getStartEpochNanos()).isEqualTo(EPOCH + 5_000);
    assertThat(summary.getEndEpochNanos()).isEqualTo(EPOCH + 90_000);
    assertThat(summary.getAttributes().asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
        AttributeKey.stringKey("messaging.system"), "pipe",
        AttributeKey.stringKey("messaging.operation.name"), "write",
        AttributeKey.stringKey("messaging.operation.type"), "send",
        AttributeKey.stringKey("messaging.destination.name"), "pipe:[55]",
        AttributeKey.longKey("messaging.message.body.size"), 29_400L,
        AttributeKey.longKey("ipc.window.operations"), 4_900L,
        AttributeKey.longKey("thread.id"), (long) THREAD,
        AttributeKey.stringKey("ipc.mechanism"), "pipe",
        AttributeKey.stringKey("ipc.channel"), "pipe:[55]",
        AttributeKey.stringKey("ipc.stream"), "stdin"));

    List<SpanData> writes = spans.stream().filter(s -> s.getName().equals("write pipe:[55]")
        && s.getInstrumentationScopeInfo().getName().equals("io.ipcscope.collector")).toList();
    assertThat(writes).extracting(SpanData::getStartEpochNanos)
        .containsExactlyInAnyOrder(EPOCH + 2_500, EPOCH + 6_000, EPOCH + 89_000);
    SpanData single = writes.stream().filter(w -> w.getStartEpochNanos() == EPOCH + 2_500).findFirst().orElseThrow();
    assertThat(single.getParentSpanId()).isEqualTo("00000000000000a1"); // the single joined
    assertThat(writes).filteredOn(w -> w != single).hasSize(2).allSatisfy(w -> { // the summarized: as without agent
      assertThat(w.getParentSpanContext().isValid()).isFalse();
      assertThat(w.getTraceId()).isNotEqualTo(summary.getTraceId());
    });
    // sort read the first write's bytes: its parent, as without an agent
    assertThat(kernel("read pipe:[55]").getParentSpanId()).isEqualTo(single.getSpanId());
    AgentHealth health = join.health();
    assertThat(health.ops()).isEqualTo(1 + 4_900);
    assertThat(health.bytes()).isEqualTo(6 + 29_400);
    assertThat(health.summaries()).isEqualTo(1);
    assertThat(health.joined()).isEqualTo(1);
    assertThat(health.unjoined()).isZero();
    assertThat(join.spans()).isEqualTo(2);
  }

  @Test
  void aSummaryInTheApplicationsSpanIsItsChild() {
    hello();
    agent(summary("00000000000000b3", 5_000, 9_000, 20, 120, APP_TRACE, APP_SPAN));
    join.flush(10_000);

    SpanData summary = jvm();
    assertThat(summary.getTraceId()).isEqualTo(APP_TRACE);
    assertThat(summary.getParentSpanId()).isEqualTo(APP_SPAN);
    assertThat(summary.getAttributes().get(AttributeKey.longKey("ipc.window.operations"))).isEqualTo(20L);
  }

  @Test
  void aDroppedSummaryCountsItsOperationsAsDropped() {
    AgentInbox one = new AgentInbox(1);
    one.offer(write("00000000000000a1", "pipe:[55]", 2_000, 3_000, "", ""));
    one.offer(summary("00000000000000b2", 5_000, 90_000, 4_900, 29_400, "", ""));

    assertThat(one.ops()).isEqualTo(1);
    assertThat(one.bytes()).isEqualTo(6);
    assertThat(one.opsDropped()).isEqualTo(4_900);
    assertThat(one.summaries()).isZero();
  }

  @Test
  void withoutAnAgentOrAfterItLeftNothingWaits() {
    feed(pipeWrite(2_500, JVM, THREAD, 55, 6));
    assertThat(spans).hasSize(1);
    hello();
    inbox.offer(new AgentMessage.Gone(JVM));
    feed(pipeWrite(2_600, JVM, THREAD, 55, 6));
    assertThat(spans).hasSize(2);
    assertThat(join.health().held()).isZero();
  }

  /** The one span of a JVM operation. */
  private SpanData jvm() {
    List<SpanData> jvm = spans.stream()
        .filter(s -> s.getInstrumentationScopeInfo().getName().equals("io.ipcscope.agent")).toList();
    assertThat(jvm).hasSize(1);
    return jvm.get(0);
  }

  /** The one span of kernel records named {@code name}. */
  private SpanData kernel(String name) {
    List<SpanData> kernel = spans.stream()
        .filter(s -> s.getInstrumentationScopeInfo().getName().equals("io.ipcscope.collector")
            && s.getName().equals(name)).toList();
    assertThat(kernel).as(name).hasSize(1);
    return kernel.get(0);
  }

  private void hello() {
    inbox.offer(new AgentMessage.Hello(JVM, "orders", "0.1.0", "17.0.15+6"));
  }

  private void agent(AgentMessage... messages) {
    for (AgentMessage m : messages) {
      inbox.offer(m);
    }
  }

  private static AgentMessage mark(long sentThrough) {
    return new AgentMessage.Mark(JVM, sentThrough, 0, 0);
  }

  private static AgentMessage write(String spanId, String channel, long start, long end, String trace, String parent) {
    return new AgentMessage.Op(new AgentOp(JVM, spanId, "pipe", "write", channel, 6, SORT, THREAD, start, end, trace,
        parent, true, List.of(Map.entry("ipc.stream", "stdin"))));
  }

  private static AgentMessage summary(String spanId, long start, long end, long count, long bytes, String trace,
      String parent) {
    return new AgentMessage.Summary(new AgentOp(JVM, spanId, "pipe", "write", "pipe:[55]", bytes, 0, THREAD, start,
        end, trace, parent, true, List.of(Map.entry("ipc.stream", "stdin"))), count);
  }

  private static AgentMessage read(String spanId, String channel, long start, long end, String trace, String parent) {
    return new AgentMessage.Op(new AgentOp(JVM, spanId, "pipe", "read", channel, 6, SORT, THREAD, start, end, trace,
        parent, true, List.of(Map.entry("ipc.stream", "stdout"))));
  }

  private static IpcEvent pipeWrite(long ts, int pid, int tid, long inode, int bytes) {
    return event(ts, pid, tid, pid == JVM ? "java" : "sort", Mechanism.PIPE, Operation.WRITE, inode, bytes, 0, 0);
  }

  private static IpcEvent pipeRead(long ts, int pid, long inode, int bytes) {
    return pipeRead(ts, pid, pid, inode, bytes);
  }

  private static IpcEvent pipeRead(long ts, int pid, int tid, long inode, int bytes) {
    return event(ts, pid, tid, pid == JVM ? "java" : "sort", Mechanism.PIPE, Operation.READ, inode, bytes, 0, 0);
  }

  private static IpcEvent event(long ts, int pid, int tid, String comm, Mechanism mechanism, Operation op, long inode,
      long bytes, int peer, int aux) {
    return new IpcEvent(ts, 1_000_000_000L, inode, bytes, 0, pid, tid, peer, 0, 0, (int) bytes, 3, aux, 0,
        mechanism, op, 0, comm, 0, "");
  }

  private void feed(IpcEvent... events) {
    for (IpcEvent e : events) {
      processes.apply(e);
      order.accept(new ResolvedEvent(e, processes.comm(e.pid()), e.peerPid(), "",
          ChannelTable.channelOf(e).orElse(null), "", false, 0, List.of()));
    }
  }
}
