package io.ipcscope.cli.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.flow.CausalOrder;
import io.ipcscope.collector.model.ChannelTable;
import io.ipcscope.collector.model.ProcessTable;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphFormatTest {

  private static final long START = 3_000_000_000L; // boot-time start of every process: 300 ticks

  private static IpcEvent pipe(long ts, int pid, String comm, Operation op, int bytes) {
    return new IpcEvent(ts, START, 77, bytes, 0, pid, pid, 0, 0, 0, bytes, 3, 0, 0, Mechanism.PIPE, op, 0, comm, 0,
        "");
  }

  private static TalkGraph.Snapshot writerToReader(IpcEvent... more) {
    ProcessTable processes = new ProcessTable();
    TalkGraph graph = new TalkGraph(processes);
    CausalOrder order = new CausalOrder(1_000, graph);
    List<IpcEvent> events = new ArrayList<>(List.of(pipe(10, 100, "writer", Operation.CREATE, 0),
        pipe(20, 100, "writer", Operation.WRITE, 5), pipe(30, 100, "writer", Operation.WRITE, 7),
        pipe(50, 200, "reader", Operation.READ, 12)));
    events.addAll(List.of(more));
    for (IpcEvent e : events) {
      processes.apply(e);
      order.accept(new ResolvedEvent(e, e.comm(), 0, "", ChannelTable.channelOf(e).orElse(null), "", false, 0,
          List.of()));
    }
    return graph.snapshot();
  }

  @Test
  void jsonHasTheDocumentedShape() {
    assertThat(GraphFormat.JSON.render(writerToReader(), 1_000)).isEqualTo(
        "{\"nodes\":[{\"id\":\"100@300\",\"pid\":100,\"comm\":\"writer\",\"start_ticks\":300},"
            + "{\"id\":\"200@300\",\"pid\":200,\"comm\":\"reader\",\"start_ticks\":300}],"
            + "\"edges\":[{\"from\":\"100@300\",\"to\":\"200@300\",\"mechanism\":\"pipe\",\"channel\":\"pipe:[77]\","
            + "\"directed\":true,\"bytes\":12,\"messages\":1,\"latency_mean_ns\":25,\"latency_max_ns\":30,"
            + "\"max_backlog_bytes\":12,"
            + "\"first_seen_ns\":1050,\"last_seen_ns\":1050}],"
            + "\"channels\":[{\"channel\":\"pipe:[77]\",\"mechanism\":\"pipe\",\"endpoints\":["
            + "{\"node\":\"100@300\",\"role\":\"writer\"},{\"node\":\"200@300\",\"role\":\"reader\"}],"
            + "\"bytes\":12,\"messages\":1,\"max_backlog_bytes\":12}]}\n");
  }

  @Test
  void dotAndMermaidDrawOneArrowFromWriterToReader() {
    TalkGraph.Snapshot graph = writerToReader();
    assertThat(GraphFormat.DOT.render(graph, 0)).isEqualTo("""
        digraph ipcscope {
          rankdir=LR;
          node [shape=box, fontname="monospace"];
          "p100@300" [label="writer[100]"];
          "p200@300" [label="reader[200]"];
          "p100@300" -> "p200@300" [label="pipe [77]\\n1 op, 12 B"];
        }
        """);
    assertThat(GraphFormat.MERMAID.render(graph, 0)).isEqualTo("""
        flowchart LR
          p100_300["writer[100]"]
          p200_300["reader[200]"]
          p100_300 -->|"pipe [77]<br/>1 op, 12 B"| p200_300
        """);
  }

  @Test
  void aSignalNobodyTookIsInTheJsonButDrawsNoLooseBox() {
    // killer[300] sends SIGTERM (15) to reader[200], queued (status 0); its default action kills: no delivery
    IpcEvent sigterm = new IpcEvent(60, START, 0, 0, 0, 300, 300, 200, 200, 0, 0, -1, 15, 0, Mechanism.SIGNAL,
        Operation.SEND, 0, "killer", 62, "");
    TalkGraph.Snapshot graph = writerToReader(sigterm);

    assertThat(GraphFormat.JSON.render(graph, 0)).contains("{\"id\":\"300@300\",\"pid\":300,\"comm\":\"killer\"")
        .contains("\"signals\":[{\"from\":\"300@300\",\"to\":\"200@300\",\"signal\":15,\"name\":\"SIGTERM\","
            + "\"sent\":1,\"queued\":1,");
    assertThat(GraphFormat.DOT.render(graph, 0)).isEqualTo(GraphFormat.DOT.render(writerToReader(), 0));
    assertThat(GraphFormat.MERMAID.render(graph, 0)).isEqualTo(GraphFormat.MERMAID.render(writerToReader(), 0));
  }
}
