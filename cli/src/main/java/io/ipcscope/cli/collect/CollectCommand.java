package io.ipcscope.cli.collect;

import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.StopSignal;
import io.ipcscope.cli.UserError;
import io.ipcscope.cli.Version;
import io.ipcscope.cli.live.LiveSocket;
import io.ipcscope.collector.Collector;
import io.ipcscope.collector.agent.AgentInbox;
import io.ipcscope.collector.agent.AgentServer;
import io.ipcscope.collector.live.CollectorRunningException;
import io.ipcscope.collector.live.LiveInfo;
import io.ipcscope.collector.live.LiveServer;
import io.ipcscope.collector.live.Publication;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.otel.AgentJoin;
import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.otel.CollectorMetrics;
import io.ipcscope.collector.otel.ExportSettings;
import io.ipcscope.collector.otel.SpanExportQueue;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.otel.Telemetry;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.pipeline.ModelJournal;
import io.ipcscope.collector.proc.OwnSockets;
import io.ipcscope.collector.proc.ProcHostView;
import io.ipcscope.collector.record.RecordingHeader;
import io.ipcscope.collector.record.RecordingWriter;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.ProbeConfig;
import io.ipcscope.probes.ProbeSession;
import io.ipcscope.probes.event.Mechanism;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ipcscope collect}: the host daemon. Traces IPC, keeps the who-talks-to-whom model, exports spans. */
@Command(
    name = "collect",
    mixinStandardHelpOptions = true,
    description = {
      "Traces every IPC operation on this host and exports OpenTelemetry spans that cross processes (a write and the "
          + "read that took it, a send and its receive, a signal and its delivery) and metrics per edge.",
      "Spans go where the OTEL_* variables or the flags say; with nothing configured, to an OTLP JSON lines file.",
      "Serves what it sees on a root-only Unix socket (--socket) for ipcscope status, ipcscope graph and dashboards.",
      "Takes the Java calls of JVMs running the ipcscope agent (-javaagent:ipcscope-agent.jar) on --agent-socket and "
          + "makes each the parent of the kernel operation it made, so a Java process and its non-Java peers share "
          + "a trace.",
      "Writes a line starting with 'Collecting' to stderr once probes are attached and exporters are up. Needs root."
    },
    footer = {
      "",
      "Examples:",
      "  sudo ipcscope collect                                        spans to ./ipcscope-spans.jsonl",
      "  sudo ipcscope collect --exporter zipkin --endpoint http://127.0.0.1:9411/api/v2/spans",
      "  sudo OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317 ipcscope collect",
      "  sudo ipcscope collect --exporter otlp --protocol http/protobuf --endpoint http://127.0.0.1:4318",
      "  sudo ipcscope collect -- ./ipcscope demo pipe                 collect while a command runs",
      "  java -javaagent:ipcscope-agent.jar -jar app.jar               a JVM's spans, joined by the collector",
      "  sudo ipcscope status                                         what a running collector sees",
      "  ipcscope collect --replay rec.bin --exporter console          spans of a recording (trace -w)"
    })
public final class CollectCommand implements Callable<Integer> {

  @Mixin ExportOptions export = new ExportOptions();

  @Option(names = "--replay", paramLabel = "FILE", description = "Export the spans of a recording (trace -w) instead "
      + "of tracing; needs no root.")
  Path replay;

  @Option(names = {"-w", "--write"}, paramLabel = "FILE", description = "Also record the event stream to FILE "
      + "(docs/RECORDING.md).")
  Path write;

  @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS", description = "Stop after this many seconds (0, the "
      + "default: until Ctrl-C or SIGTERM).")
  double duration;

  // 32, not trace's 8: `demo all` flat out, a burst of a dozen JVMs starting on two cores, lost a fifth of its
  // events in 8 MiB and none in 32 (docs/PERFORMANCE.md, bench live); a daemon can afford the memory
  @Option(names = "--ring-size", paramLabel = "MIB", defaultValue = "32",
      description = "Ring buffer size in MiB, a power of two from 1 to 512 (default: ${DEFAULT-VALUE}).")
  int ringMib;

  @Option(names = "--peer-wait", paramLabel = "MS", defaultValue = "200",
      description = "How long an event may wait for the first sign of its peer (default: ${DEFAULT-VALUE} ms).")
  long peerWaitMillis;

  @Option(names = "--posix-semaphores", description = "Also trace POSIX semaphores through uprobes on libc (costly: "
      + "see trace --help).")
  boolean posixSemaphores;

  @Option(names = "--socket", paramLabel = "PATH", defaultValue = LiveSocket.DEFAULT,
      description = "Serve snapshots and a stream of changes here for status, graph and dashboards "
          + "(docs/LIVE-API.md; root only) (default: ${DEFAULT-VALUE}).")
  Path socket;

  @Option(names = "--no-socket", description = "Serve nothing: no live socket.")
  boolean noSocket;

  @Option(names = "--agent-socket", paramLabel = "PATH", defaultValue = DEFAULT_AGENT_SOCKET,
      description = "Take the operations of JVMs running the ipcscope agent here, and join them with the kernel's "
          + "(docs/AGENT.md; any user's JVM may connect, for its own pid only) (default: ${DEFAULT-VALUE}).")
  Path agentSocket;

  @Option(names = "--no-agent-socket", description = "Take no JVM agents' operations.")
  boolean noAgentSocket;

  @Option(names = "--agent-hold", paramLabel = "MS", defaultValue = "250",
      description = "How long after it happened a kernel event of a JVM with a connected agent may wait for the "
          + "agent's report of the Java call that made it (default: ${DEFAULT-VALUE} ms).")
  long agentHoldMillis;

  @Parameters(arity = "0..*", paramLabel = "COMMAND",
      description = "After '--': a command to run once collecting is live; collecting ends when it exits, and the exit "
          + "code is its own.")
  List<String> command = List.of();

  /**
   * SIGTERM must see the spans out and the probes detached within 5 s: reading what the ring still holds gets 1 s,
   * the export queue 2 s, the SDK (a last metrics export) half a second.
   */
  static final long EXPORT_FLUSH_MILLIS = 2_000;
  static final String DEFAULT_AGENT_SOCKET = "/run/ipcscope/agent.sock";
  private static final long DRAIN_NANOS = 1_000_000_000L;
  private static final long PUBLISH_NANOS = 1_000_000_000L;

  private StopSignal stop;
  private volatile boolean reopenRequested;
  private volatile CollectorHealth health = CollectorHealth.EMPTY;
  private volatile TalkGraph.Snapshot graph = new TalkGraph.Snapshot(List.of(), List.of());
  private Process child;
  private long publications;

  @Override
  public Integer call() throws IOException, InterruptedException {
    validate();
    if (replay != null) {
      return new CollectReplay(replay, export, peerWaitMillis).run();
    }
    Preflight.requireTracingAllowed("ipcscope collect");
    EnumSet<Mechanism> traced = EnumSet.allOf(Mechanism.class);
    traced.remove(Mechanism.BENCH);
    ProbeConfig config = ProbeConfig.builder()
        .mechanisms(traced)
        .ringBytes(ringMib << 20)
        .closeOnShutdown(false)
        .libcUprobes(posixSemaphores)
        .build();
    ExporterLogging.install();
    Signals.onHangup(() -> reopenRequested = true);
    RecordingHeader header = RecordingHeader.now(peerWaitMillis * 1_000_000L);
    AgentInbox inbox = new AgentInbox(AgentInbox.DEFAULT_CAPACITY);
    try (StopSignal stopSignal = StopSignal.install("ipcscope-collect-stop");
        LiveServer live = openLive(header);
        AgentServer agents = openAgents(inbox);
        Telemetry telemetry = export.open();
        ProbeSession session = ProbeSession.open(config);
        RecordingWriter writer = openRecording(header)) {
      stop = stopSignal;
      StopSignal.reportUnavailable(session.status());
      SpanExportQueue queue = export.queue(telemetry);
      Collector[] collector = new Collector[1];
      Consumer<ResolvedEvent> toCollector = r -> collector[0].accept(r);
      ModelDriver driver = new ModelDriver(ProcHostView.system(), header.peerWaitNanos(), toCollector,
          writer == null ? ModelJournal.NONE : writer);
      collector[0] = new Collector(driver.processes(), telemetry.processBase(header.hostName()),
          header.epochNanosAtMonotonicZero(), export.spanOptions(new SecureRandom().nextLong()),
          Collector.DEFAULT_CAUSAL_HOLD_NANOS, queue).ignoringOwnSockets(OwnSockets.self());
      if (agents != null) {
        collector[0].joiningAgents(inbox, AgentJoin.Options.defaults(agentHoldMillis * 1_000_000L,
            header.peerWaitNanos() + Collector.DEFAULT_CAUSAL_HOLD_NANOS), agents.socket().toString(), agents);
      }
      new CollectorMetrics(telemetry.meter(), () -> health, () -> graph);
      System.err.println("Collecting IPC of every process (" + driver.seededProcesses() + " at start); spans: "
          + telemetry.description() + (writer != null ? "; recording to " + write : "")
          + (live != null ? "; live at " + live.socket() : "")
          + (agents != null ? "; JVM agents at " + agents.socket() : "") + ". Ctrl-C to end.");
      startCommand();
      loop(session, driver, collector[0], queue, telemetry, writer, live);
      driver.drain();
      collector[0].drain();
      publish(session, driver, collector[0], queue, live);
      queue.close(EXPORT_FLUSH_MILLIS);
      CollectSummary.print(System.err, health, collector[0].graph().edgeCount(), queue);
      return child == null ? 0 : StopSignal.endCommand(child);
    } catch (ConfigurationException e) {
      throw new UserError("OpenTelemetry configuration: " + e.getMessage());
    }
  }

  private void loop(ProbeSession session, ModelDriver driver, Collector collector, SpanExportQueue queue,
      Telemetry telemetry, RecordingWriter writer, LiveServer live) {
    long deadline = duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : 0;
    long lostSoFar = 0;
    long lastPublish = 0;
    while (!stop.requested() && (child == null || child.isAlive())
        && (deadline == 0 || System.nanoTime() - deadline < 0)) {
      session.poll(driver::accept, 50);
      long now = System.nanoTime();
      driver.tick(now);
      collector.tick(now);
      queue.flush(); // what the tick made goes out now, not when 256 more spans have come
      long lost = session.drops();
      if (lost > lostSoFar && writer != null) {
        writer.lost(now, lost - lostSoFar);
      }
      lostSoFar = lost;
      if (now - lastPublish >= PUBLISH_NANOS) {
        lastPublish = now;
        publish(session, driver, collector, queue, live);
      }
      if (reopenRequested) {
        reopenRequested = false;
        reopen(telemetry);
      }
    }
    // what the kernel wrote before we stopped; on a busy host more keeps coming while the probes are attached, so
    // the drain has a budget of its own within SIGTERM's 5 s
    long drainUntil = System.nanoTime() + DRAIN_NANOS;
    while (session.poll(driver::accept, 0) > 0 && System.nanoTime() - drainUntil < 0) {
      long now = System.nanoTime();
      driver.tick(now);
      collector.tick(now);
    }
  }

  private static void reopen(Telemetry telemetry) {
    try {
      telemetry.reopen();
    } catch (IOException e) {
      System.err.println("ipcscope: cannot reopen the span file: " + e.getMessage() + "; still writing the old one");
    }
  }

  /** Makes the model's state visible to the metrics reader's thread and the live socket's. */
  private void publish(ProbeSession session, ModelDriver driver, Collector collector, SpanExportQueue queue,
      LiveServer live) {
    TalkGraph.Snapshot snapshot = collector.graph().snapshot();
    graph = snapshot;
    health = collector.health(driver, snapshot, session.dropsPerCpu(), queue);
    if (live != null) {
      live.publish(new Publication(++publications, System.nanoTime(), snapshot, health,
          collector.tail().after(0)));
    }
  }

  /** The live socket, before any probe loads: a second collector on the same socket stops here, cheaply. */
  private LiveServer openLive(RecordingHeader header) {
    if (noSocket) {
      return null;
    }
    LiveInfo info = new LiveInfo(Version.number(), header.hostName(), ProcessHandle.current().pid(),
        header.epochNanosAtMonotonicZero(), header.startMonotonicNanos());
    try {
      return LiveServer.start(socket, info, LiveServer.Options.defaults(n -> System.err.println("ipcscope: " + n)));
    } catch (CollectorRunningException e) {
      throw new UserError("another collector is running at " + socket + ": stop it, or give this one --socket "
          + "another path or --no-socket");
    } catch (IOException e) {
      throw new UserError("cannot serve the live socket " + socket + ": " + e.getMessage()
          + " (give --socket another path, or --no-socket)");
    }
  }

  /** The agent socket, after the live socket (whose directory it may open to other users' JVMs). */
  private AgentServer openAgents(AgentInbox inbox) {
    if (noAgentSocket) {
      return null;
    }
    try {
      return AgentServer.start(agentSocket, inbox,
          AgentServer.Options.defaults(Version.number(), n -> System.err.println("ipcscope: " + n)));
    } catch (IOException e) {
      throw new UserError("cannot serve the agent socket " + agentSocket + ": " + e.getMessage()
          + " (give --agent-socket another path, or --no-agent-socket)");
    }
  }

  private RecordingWriter openRecording(RecordingHeader header) {
    if (write == null) {
      return null;
    }
    try {
      return RecordingWriter.create(write, header);
    } catch (IOException e) {
      throw new UserError("cannot write " + write + ": " + e.getMessage());
    }
  }

  private void startCommand() {
    if (command.isEmpty()) {
      return;
    }
    try {
      child = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException e) {
      throw new UserError("cannot run " + command.get(0) + ": " + e.getMessage(), 127);
    }
  }

  private void validate() {
    if (ringMib <= 0 || ringMib > 512 || Integer.bitCount(ringMib) != 1) {
      throw new UserError("--ring-size must be a power of two in MiB from 1 to 512, not " + ringMib);
    }
    if (duration < 0) {
      throw new UserError("--duration must be 0 (until stopped) or more seconds");
    }
    if (agentHoldMillis < 0 || agentHoldMillis > 10_000) {
      throw new UserError("--agent-hold must be from 0 to 10000 ms");
    }
    if (peerWaitMillis < 0 || peerWaitMillis > 60_000) {
      throw new UserError("--peer-wait must be from 0 to 60000 ms");
    }
    if (replay != null && (write != null || !command.isEmpty())) {
      throw new UserError("--replay exports a recording: it takes no -w and no command");
    }
    export.validate();
  }
}
