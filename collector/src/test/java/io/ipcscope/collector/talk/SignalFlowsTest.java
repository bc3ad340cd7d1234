package io.ipcscope.collector.talk;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.flow.CausalOrder;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signal flows counted from kernel records, through the causal order that pairs each delivery with its send. */
class SignalFlowsTest {

  /** Every process here started at boot time 1 s: 100 ticks. */
  private static final long START = 1_000_000_000L;
  // signal_status (ipcscope.h)
  private static final int QUEUED = 0;
  private static final int IGNORED = 1;
  private static final int ALREADY_PENDING = 2;
  private static final int BLOCKED = 5;
  private static final int NONE = 255;
  private static final int HANDLER = 2;

  private final ProcessTable processes = new ProcessTable();
  private final TalkGraph graph = new TalkGraph(processes);
  private final CausalOrder order = new CausalOrder(1_000, graph);

  private void feed(IpcEvent... events) {
    for (IpcEvent e : events) {
      processes.apply(e);
      order.accept(new ResolvedEvent(e, e.comm(), e.peerPid(), "", null, "", false));
    }
  }

  /** A send (pid sends to peer) or a delivery (pid takes it from peer), as signal.bpf.c records them. */
  private static IpcEvent signal(Operation op, long ts, int pid, int peer, int signo, int status) {
    return signal(op, ts, pid, peer, signo, status, 0);
  }

  private static IpcEvent signal(Operation op, long ts, int pid, int peer, int signo, int status, int result) {
    return new IpcEvent(ts, pid == 0 ? 0 : START, 0, 0, 0, pid, pid, peer, 0, 0, result, -1, signo, 0,
        Mechanism.SIGNAL, op, status, pid == 0 ? "" : "p" + pid, op == Operation.SEND ? 62 : 0, "");
  }

  /** "from>to SIGNAL sent=queued+ignored+merged+failed (blocked) delivered, latency mean/max", by pid. */
  private List<String> flows() {
    return graph.snapshot().signals().stream().map(f -> f.from().pid() + ">" + f.to().pid() + " " + f.name() + " "
        + f.sent() + "=" + f.queued() + "+" + f.ignored() + "+" + f.merged() + "+" + f.failed() + " (" + f.blocked()
        + ") " + f.delivered() + (f.latencyCount() > 0 ? " " + f.latencyMeanNanos() + "/" + f.latencyMaxNanos() : "")
    ).toList();
  }

  @Test
  void everySignalIsCountedOnceSentWithItsOutcomeAndOnceDelivered() {
    feed(signal(Operation.SEND, 10, 100, 200, 10, QUEUED), // 200 not known yet: only its pid
        signal(Operation.DELIVER, 25, 200, 100, 10, HANDLER),
        signal(Operation.SEND, 30, 100, 200, 10, QUEUED),
        signal(Operation.SEND, 31, 100, 200, 10, ALREADY_PENDING), // folds into the pending one
        signal(Operation.DELIVER, 70, 200, 100, 10, HANDLER),
        signal(Operation.SEND, 80, 100, 200, 12, BLOCKED), // still pending at the end
        signal(Operation.SEND, 90, 100, 200, 15, NONE, -1), // EPERM
        signal(Operation.SEND, 95, 100, 200, 0, NONE), // kill(200, 0): not a signal
        signal(Operation.SEND, 96, 100, 200, 15, NONE), // succeeded, generated nothing: 200 was exiting
        signal(Operation.GENERATE, 100, 300, 100, 17, IGNORED), // 300 exits, 100 ignores SIGCHLD
        signal(Operation.GENERATE, 110, 0, 200, 14, QUEUED), // a timer's SIGALRM, raised by the kernel
        signal(Operation.DELIVER, 120, 200, 0, 14, HANDLER),
        signal(Operation.SEND, 125, 100, 200, 37, QUEUED),
        signal(Operation.DELIVER, 128, 200, 100, 37, HANDLER),
        signal(Operation.DELIVER, 130, 200, 100, 1, HANDLER)); // its send was before tracing
    order.drain();

    assertThat(flows()).containsExactly(
        "0>200 SIGALRM 1=1+0+0+0 (0) 1 10/10",
        "100>200 SIGHUP 0=0+0+0+0 (0) 1",
        "100>200 SIGUSR1 3=2+0+1+0 (0) 2 27/40",
        "100>200 SIGUSR2 1=1+0+0+0 (1) 0",
        "100>200 SIGTERM 1=0+0+0+1 (0) 0",
        "100>200 SIGRTMIN+3 1=1+0+0+0 (0) 1 3/3",
        "300>100 SIGCHLD 1=0+1+0+0 (0) 0");
    assertThat(graph.snapshot().signals()).allSatisfy(f -> {
      assertThat(f.to()).isEqualTo(f.to().pid() == 100 ? new ProcessKey(100, 100) : new ProcessKey(200, 100));
      assertThat(f.sent()).isEqualTo(f.queued() + f.ignored() + f.merged() + f.failed());
    });
  }

  @Test
  void aFlowKeepsItsFirstAndLastTimesAndItsEndsAreNodesEvenWithoutAnEdge() {
    feed(signal(Operation.SEND, 40, 100, 200, 15, QUEUED), signal(Operation.SEND, 50, 100, 200, 15, QUEUED));

    TalkGraph.Snapshot snapshot = graph.snapshot();
    assertThat(snapshot.edges()).isEmpty(); // SIGTERM killed 200: nothing was delivered
    assertThat(snapshot.signals()).singleElement().satisfies(f -> {
      assertThat(f.firstNanos()).isEqualTo(40);
      assertThat(f.lastNanos()).isEqualTo(50);
    });
    assertThat(snapshot.nodes()).extracting(n -> n.label()).containsExactly("p100[100]", "?[200]");
  }

  @Test
  void idleFlowsGoWithIdleEdgesAndTheirProcessesWithThem() {
    feed(signal(Operation.SEND, 10, 100, 200, 10, QUEUED), signal(Operation.DELIVER, 20, 200, 100, 10, HANDLER),
        signal(Operation.SEND, 60, 300, 200, 10, IGNORED));

    graph.evictIdle(50);

    assertThat(flows()).containsExactly("300>200 SIGUSR1 1=0+1+0+0 (0) 0");
    assertThat(graph.snapshot().nodes()).extracting(n -> n.key().pid()).containsExactly(200, 300);
    assertThat(graph.evictedSignalFlows()).isEqualTo(1);
  }

  @Test
  void beyondTheCapTheLeastRecentlyActiveFlowIsForgotten() {
    for (int child = 1; child <= SignalFlows.MAX_FLOWS + 1; child++) {
      feed(signal(Operation.GENERATE, 1_000 + child, 10_000 + child, 1, 17, IGNORED));
    }

    List<SignalFlow> flows = graph.snapshot().signals();
    assertThat(flows).hasSize(SignalFlows.MAX_FLOWS);
    assertThat(flows.get(0).from().pid()).isEqualTo(10_002);
    assertThat(graph.evictedSignalFlows()).isEqualTo(1);
  }
}
