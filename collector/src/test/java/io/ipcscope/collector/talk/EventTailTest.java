package io.ipcscope.collector.talk;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.flow.CausalEvent;
import io.ipcscope.collector.flow.CausalOrder;
import io.ipcscope.collector.flow.Pairing;
import io.ipcscope.collector.flow.Role;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.Events;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventTailTest {

  private final ProcessTable processes = new ProcessTable();
  private final EventTail tail = new EventTail();
  private final CausalOrder order = new CausalOrder(1_000, c -> tail.add(c, "trace-" + c.resolved().event().pid()));

  private void feed(IpcEvent e) {
    processes.apply(e);
    order.accept(new ResolvedEvent(e, e.comm(), 0, "", ChannelTable.channelOf(e).orElse(null), "", false, 0,
        List.of()));
  }

  @Test
  void aReadNamesTheWriterItTookFromAndHowLongTheBytesWaited() {
    feed(Events.pipeWrite(1_000, 100, "a", 3, 5));
    feed(Events.pipeWrite(2_000, 100, "a", 3, 5));
    feed(Events.pipeRead(9_000, 200, "b", 3, 10));

    List<RecentEvent> all = tail.after(0);
    assertThat(all).extracting(RecentEvent::seq).containsExactly(1L, 2L, 3L);
    RecentEvent read = all.get(2);
    assertThat(read.role()).isEqualTo(Role.CONSUMER);
    assertThat(read.bytes()).isEqualTo(10);
    assertThat(read.source().pid()).isEqualTo(100);
    assertThat(read.latencyNanos()).isEqualTo(8_000); // from the first write it took
    assertThat(read.traceId()).isEqualTo("trace-200");
    EdgeKey edge = new EdgeKey(read.source(), read.actor(), Mechanism.PIPE, ChannelKey.pipe(3));
    assertThat(all).filteredOn(e -> e.on(edge)).hasSize(3); // both writes and the read
    assertThat(all.get(0).latencyNanos()).isEqualTo(-1);
    assertThat(all.get(0).source()).isNull();
  }

  @Test
  void keepsTheLastCapacityAndAnswersOnlyWhatIsNewer() {
    for (int i = 0; i < EventTail.CAPACITY + 10; i++) {
      feed(Events.pipeWrite(1_000 + i, 100, "a", 3, 1));
    }
    assertThat(tail.lastSeq()).isEqualTo(EventTail.CAPACITY + 10);
    List<RecentEvent> kept = tail.after(0);
    assertThat(kept).hasSize(EventTail.CAPACITY);
    assertThat(kept.get(0).seq()).isEqualTo(11);
    assertThat(tail.after(EventTail.CAPACITY + 8)).extracting(RecentEvent::seq)
        .containsExactly((long) EventTail.CAPACITY + 9, (long) EventTail.CAPACITY + 10);
    assertThat(tail.after(tail.lastSeq())).isEmpty();
    assertThat(kept.get(0).actor()).isEqualTo(new ProcessKey(100, 100)); // the fixtures start at 1 s
  }

  @Test
  void aTraceIdComesBackAsItWasHandedOn() {
    IpcEvent write = Events.pipeWrite(1_000, 100, "a", 3, 5);
    List<String> ids = List.of("4bf92f3577b34da6a3ce929d0e0e4736", "", "0af7651916cd43dd8448eb211c80319c");
    processes.apply(write);
    ResolvedEvent r = new ResolvedEvent(write, "a", 0, "", ChannelKey.pipe(3), "", false, 0, List.of());
    for (String id : ids) {
      tail.add(new CausalEvent(r, Role.PRODUCER, List.of(), 0,
          Pairing.UNOBSERVED, 0), id);
    }
    assertThat(tail.after(0)).extracting(RecentEvent::traceId).containsExactlyElementsOf(ids);
  }

  @Test
  void whatIsReadDoesNotChangeAsTheSlotsAreReused() {
    feed(Events.pipeWrite(1_000, 100, "a", 3, 5));
    RecentEvent first = tail.after(0).get(0);
    for (int i = 0; i < EventTail.CAPACITY; i++) {
      feed(Events.pipeRead(2_000 + i, 200, "b", 3, 1));
    }
    assertThat(first.actor().pid()).isEqualTo(100);
    assertThat(first.role()).isEqualTo(Role.PRODUCER);
    assertThat(first.channel()).isEqualTo(ChannelKey.pipe(3));
    assertThat(first.bytes()).isEqualTo(5);
  }
}
