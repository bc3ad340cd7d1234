package io.ipcscope.cli.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.UserError;
import io.ipcscope.cli.live.LiveSocket;
import io.ipcscope.collector.Collector;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.live.GraphJson;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.pipeline.ModelJournal;
import io.ipcscope.collector.proc.ProcHostView;
import io.ipcscope.collector.record.RecordingHeader;
import io.ipcscope.collector.record.Replay;
import io.ipcscope.collector.record.ReplayListener;
import io.ipcscope.collector.record.ReplayResult;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.ProbeConfig;
import io.ipcscope.probes.ProbeSession;
import io.ipcscope.probes.event.Mechanism;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ipcscope graph}: who talks to whom, as JSON, Graphviz dot, Mermaid, svg or png. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = {
      "Draws who talks to whom: an arrow from each writer or sender to each reader or receiver, per mechanism and "
          + "channel, with operations and bytes; shared memory as undirected edges among the processes mapping it.",
      "From a recording (--replay, no root needed); from the running collector (ipcscope collect) when one answers "
          + "on its socket and neither --duration nor a command is given; else traced here for --duration seconds or "
          + "while a command runs."
    },
    footer = {
      "",
      "Examples:",
      "  ipcscope graph --replay rec.bin                         JSON (nodes, edges) of a recording",
      "  ipcscope graph --replay rec.bin --format svg -o g.svg   drawn by Graphviz",
      "  sudo ipcscope graph --format svg -o host.svg            the running collector's graph",
      "  sudo ipcscope graph --format mermaid -- ./ipcscope demo all --messages 5",
      "  sudo ipcscope graph --duration 10 --format dot | dot -Tpng > host.png"
    })
public final class GraphCommand implements Callable<Integer> {

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json",
      description = "json, dot, mermaid, svg or png (svg and png need Graphviz) (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--replay", paramLabel = "FILE", description = "The graph of a recording (trace -w).")
  Path replay;

  @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS",
      description = "Live: trace this long, then draw (default without a command: 10).")
  double duration;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
  Path output;

  @Option(names = "--socket", paramLabel = "PATH", description = "Draw the graph of the collector serving this "
      + "socket (without it: " + LiveSocket.DEFAULT + " when a collector answers there).")
  Path socket;

  @Option(names = "--no-socket", description = "Trace here even when a collector is running.")
  boolean noSocket;

  @Parameters(arity = "0..*", paramLabel = "COMMAND", description = "After '--': trace while this command runs.")
  List<String> command = List.of();

  private static final double DEFAULT_LIVE_SECONDS = 10;

  @Override
  public Integer call() throws IOException, InterruptedException {
    GraphFormat chosen = parseFormat();
    if (replay != null && (!command.isEmpty() || duration > 0)) {
      throw new UserError("--replay draws a recording: it takes no --duration and no command");
    }
    if (duration < 0) {
      throw new UserError("--duration must be positive");
    }
    if (socket != null && (replay != null || noSocket || !command.isEmpty() || duration > 0)) {
      throw new UserError("--socket draws the running collector's graph: it takes no --replay, --no-socket, "
          + "--duration or command");
    }
    String text = chosen.render(graphJson());
    byte[] bytes = chosen == GraphFormat.SVG || chosen == GraphFormat.PNG ? Graphviz.render(text, chosen)
        : text.getBytes(StandardCharsets.UTF_8);
    write(bytes);
    return 0;
  }

  /** The graph in its JSON shape, from wherever this invocation asks for it. */
  private String graphJson() throws InterruptedException {
    if (socket != null) {
      return fromCollector(LiveSocket.snapshot(socket));
    }
    if (replay == null && !noSocket && command.isEmpty() && duration == 0) {
      String snapshot = LiveSocket.snapshotIfAnswering(Path.of(LiveSocket.DEFAULT));
      if (snapshot != null) {
        System.err.println("The graph of the running collector at " + LiveSocket.DEFAULT + " (--no-socket: trace "
            + "here instead).");
        return fromCollector(snapshot);
      }
    }
    long[] epochOffset = new long[1];
    TalkGraph.Snapshot graph = replay != null ? fromRecording(epochOffset) : live(epochOffset);
    return GraphJson.toJson(graph, epochOffset[0]);
  }

  /** The "graph" of a collector's snapshot, written back exactly as graph --format json writes one. */
  private static String fromCollector(String snapshot) {
    try {
      return JSON.writeValueAsString(JSON.readTree(snapshot).path("graph")) + "\n";
    } catch (JsonProcessingException e) {
      throw new UserError("the collector answered something that is not JSON: is it an ipcscope collector of this "
          + "version?", UserError.EXIT_FAILURE);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private GraphFormat parseFormat() {
    try {
      return GraphFormat.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new UserError("--format must be json, dot, mermaid, svg or png, not " + format);
    }
  }

  private static Collector graphOnly(ModelDriver driver, long epochOffset) {
    return new Collector(driver.processes(), Resource.empty(), epochOffset, SpanFactory.Options.defaults(0),
        Collector.DEFAULT_CAUSAL_HOLD_NANOS, null);
  }

  private TalkGraph.Snapshot fromRecording(long[] epochOffset) {
    Collector[] collector = new Collector[1];
    ReplayResult result;
    try {
      result = Replay.run(replay, -1, r -> collector[0].accept(r), new ReplayListener() {
        @Override
        public void started(RecordingHeader header, ModelDriver driver) {
          epochOffset[0] = header.epochNanosAtMonotonicZero();
          collector[0] = graphOnly(driver, epochOffset[0]);
        }

        @Override
        public void tick(long nanos) {
          collector[0].tick(nanos);
        }
      });
    } catch (IOException e) {
      throw UserError.unreadableRecording(replay, e);
    }
    collector[0].drain();
    result.error().ifPresent(error -> System.err.println("ipcscope: " + error));
    return collector[0].graph().snapshot();
  }

  private TalkGraph.Snapshot live(long[] epochOffset) throws InterruptedException {
    Preflight.requireTracingAllowed("ipcscope graph");
    EnumSet<Mechanism> traced = EnumSet.allOf(Mechanism.class);
    traced.remove(Mechanism.BENCH);
    ProbeConfig config = ProbeConfig.builder().mechanisms(traced).build();
    RecordingHeader header = RecordingHeader.now(200_000_000L);
    epochOffset[0] = header.epochNanosAtMonotonicZero();
    try (ProbeSession session = ProbeSession.open(config)) {
      Collector[] collector = new Collector[1];
      ModelDriver driver = new ModelDriver(ProcHostView.system(), header.peerWaitNanos(), r -> collector[0].accept(r),
          ModelJournal.NONE);
      collector[0] = graphOnly(driver, epochOffset[0]);
      Process child = start();
      double seconds = duration > 0 ? duration : child == null ? DEFAULT_LIVE_SECONDS : 0;
      System.err.println("Tracing" + (seconds > 0 ? " for " + seconds + " s" : "") + (child != null ? " while "
          + command.get(0) + " runs" : "") + ", then drawing.");
      long deadline = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
      while (System.nanoTime() < deadline && (child == null || child.isAlive())) {
        session.poll(driver::accept, 50);
        driver.tick(System.nanoTime());
        collector[0].tick(System.nanoTime());
      }
      while (session.poll(driver::accept, 0) > 0) {
        // what the kernel wrote before the end
      }
      driver.drain();
      collector[0].drain();
      if (child != null && child.isAlive()) {
        child.destroy();
        child.waitFor(5, TimeUnit.SECONDS);
      }
      return collector[0].graph().snapshot();
    }
  }

  private Process start() {
    if (command.isEmpty()) {
      return null;
    }
    try {
      return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UserError("cannot run " + command.get(0) + ": " + e.getMessage(), 127);
    }
  }

  private void write(byte[] bytes) throws IOException {
    if (output == null) {
      System.out.write(bytes);
      System.out.flush();
      return;
    }
    try (OutputStream out = Files.newOutputStream(output)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UserError("cannot write " + output + ": " + e.getMessage());
    }
  }
}
