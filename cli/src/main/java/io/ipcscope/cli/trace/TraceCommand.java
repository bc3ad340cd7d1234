package io.ipcscope.cli.trace;

import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.StopSignal;
import io.ipcscope.cli.UserError;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.pipeline.ModelJournal;
import io.ipcscope.collector.proc.ProcHostView;
import io.ipcscope.collector.record.RecordingHeader;
import io.ipcscope.collector.record.RecordingReader;
import io.ipcscope.collector.record.RecordingWriter;
import io.ipcscope.collector.record.Replay;
import io.ipcscope.collector.record.ReplayListener;
import io.ipcscope.collector.record.ReplayResult;
import io.ipcscope.probes.ProbeConfig;
import io.ipcscope.probes.ProbeSession;
import io.ipcscope.probes.event.Mechanism;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ipcscope trace}: every IPC operation on the host, one line each, both ends named. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    description = {
      "Prints one line per IPC operation on this host: who did it, on which channel, and who is at the other end.",
      "Writes a line starting with 'Tracing' to stderr once every probe is attached. Needs root."
    },
    footer = {
      "",
      "Examples:",
      "  sudo ipcscope trace                                   everything, as a table",
      "  sudo ipcscope trace --mechanism pipe,fifo --comm cat  pipes and FIFOs used by cat",
      "  sudo ipcscope trace --json -o events.jsonl --duration 30",
      "  sudo ipcscope trace --aggregate --interval 5          totals per process and channel, no per-event cost",
      "  sudo ipcscope trace -- ./ipcscope demo pipe            run a command, show what it and its children do",
      "  sudo ipcscope trace -w rec.bin -o /dev/null -- ./ipcscope demo pipe   record it (docs/RECORDING.md), show nothing",
      "  ipcscope trace --replay rec.bin                         the lines the recorded run showed, again"
    })
public final class TraceCommand implements Callable<Integer> {

  @Option(names = "--json", description = "JSON Lines instead of a table (schema: docs/EVENTS.md).")
  boolean json;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write events to FILE instead of stdout.")
  Path output;

  @Option(names = {"-m", "--mechanism"}, paramLabel = "LIST", converter = MechanismConverter.class,
      description = "Comma-separated mechanisms to trace: pipe, fifo, signal, posix_mq, sysv_mq, unix_socket, tcp, udp, "
          + "posix_shm, sysv_shm, sem, file_lock, process (default: all).")
  Set<Mechanism> mechanisms = MechanismConverter.TRACEABLE;

  @Option(names = {"-p", "--pid"}, paramLabel = "PID", description = "Only operations of this process.")
  int pid;

  @Option(names = {"-c", "--comm"}, paramLabel = "COMM", description = "Only operations of processes with this command name.")
  String comm = "";

  @Option(names = {"-d", "--duration"}, paramLabel = "SECONDS", description = "Stop after this many seconds (0, the default: until Ctrl-C or SIGTERM).")
  double duration;

  @Option(names = "--aggregate", description = "Count per process, channel and operation in the kernel; print totals every --interval.")
  boolean aggregate;

  @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1", description = "Seconds between --aggregate reports (default: ${DEFAULT-VALUE}).")
  double interval;

  @Option(names = "--posix-semaphores", description = "Also trace POSIX semaphores (sem_post, sem_wait...) through "
      + "uprobes on libc: exact, but every such call of every process then costs several microseconds (CPython's "
      + "GIL handoffs among them), so it is off by default. System V semaphores are traced either way.")
  boolean posixSemaphores;

  @Option(names = "--ring-size", paramLabel = "MIB", defaultValue = "8", description = "Ring buffer size in MiB, a power of two from 1 to 512 (default: ${DEFAULT-VALUE}).")
  int ringMib;

  @Option(names = "--peer-wait", paramLabel = "MS", defaultValue = "200",
      description = "How long an event may wait for the first sign of its peer (default: ${DEFAULT-VALUE} ms).")
  long peerWaitMillis;

  @Option(names = {"-w", "--write"}, paramLabel = "FILE", description = "Also record the event stream, with "
      + "everything the model learned from /proc, to FILE (binary, docs/RECORDING.md), for --replay. Per-event mode "
      + "only. Lines are still shown: add -o /dev/null to record only.")
  Path write;

  @Option(names = "--replay", paramLabel = "FILE", description = "Show the lines a recording (-w) makes, as the "
      + "recorded run showed them, instead of tracing. Needs no root; -m, -p, -c, --json and -o apply.")
  Path replay;

  @Parameters(arity = "0..*", paramLabel = "COMMAND",
      description = "After '--': a command to run once tracing is live. Only it, its descendants and their peers "
          + "are shown, and tracing ends when it exits; the exit code is its own.")
  List<String> command = List.of();

  private static final double MAX_DURATION_SECONDS = 10 * 365 * 86400.0;
  private static final long MAX_PEER_WAIT_MILLIS = 60_000;

  /** What a shell answers for a command it cannot run. */
  private static final int EXIT_COMMAND_NOT_FOUND = 127;

  /** The note that tells a replay which process tree {@code trace -- COMMAND} followed. */
  private static final String FOLLOW_NOTE = "trace.follow";
  private static final int SELF = (int) ProcessHandle.current().pid();

  @Spec CommandSpec spec;

  private StopSignal stop;
  private Process child;

  @Override
  public Integer call() throws IOException, InterruptedException {
    validate();
    if (replay != null) {
      return replay();
    }
    Preflight.requireTracingAllowed("ipcscope trace");
    EnumSet<Mechanism> traced = EnumSet.copyOf(mechanisms);
    traced.add(Mechanism.PROCESS); // naming every process needs the lifecycle, shown or not
    ProbeConfig config = ProbeConfig.builder()
        .mechanisms(traced)
        .filterPid(pid)
        .filterComm(comm)
        .aggregate(aggregate)
        .ringBytes(ringMib << 20)
        .closeOnShutdown(false) // our own hook lets the loop drain the ring before the session closes
        .libcUprobes(posixSemaphores)
        .build();

    RecordingHeader header = RecordingHeader.now(peerWaitMillis * 1_000_000L);
    try (StopSignal stopSignal = StopSignal.install("ipcscope-trace-stop");
        PrintStream out = openOutput(); ProbeSession session = ProbeSession.open(config);
        RecordingWriter writer = openRecording(header)) {
      stop = stopSignal;
      StopSignal.reportUnavailable(session.status());
      if (pid != 0 && ProcessHandle.of(pid).isEmpty()) {
        System.err.println("ipcscope: no process " + pid + " is running now; tracing it anyway, in case the pid comes");
      }
      TraceSummary summary = new TraceSummary();
      // wall-clock times from the recording's own offset, so that a replay prints the very same times
      TracePrinter printer = new TracePrinter(out, formatter(new MonotonicClock(header.epochNanosAtMonotonicZero(), 0)),
          summary);
      // aggregate mode feeds the driver's tables itself: the kernel counts, nothing waits for a peer
      ModelDriver driver = new ModelDriver(ProcHostView.system(), header.peerWaitNanos(), printer,
          writer == null ? ModelJournal.NONE : writer);
      System.err.println("Tracing " + traced.stream().map(Mechanism::id).collect(Collectors.joining(", "))
          + " (" + driver.seededProcesses() + " processes at start" + (aggregate ? ", aggregate mode" : "")
          + (writer != null ? ", recording to " + write : "") + "). Ctrl-C to end.");
      printer.showOnly(new DisplayFilter(mechanisms, pid, comm, driver.channels(), SELF));
      startCommand(printer.filter(), writer);
      if (aggregate) {
        new AggregateLoop(session, driver.processes(), driver.channels(), out, json, interval, summary)
            .run(this::over, deadline());
      } else {
        runPerEvent(session, driver, printer, out, writer);
      }
      out.flush();
      summary.print(System.err, session.drops());
      long[] remote = session.remoteInetTransfers();
      if (remote[0] > 0) {
        System.err.printf("ipcscope: not traced: %d TCP/UDP transfers (%d bytes) with other hosts%n", remote[0],
            remote[1]);
      }
      return child == null ? 0 : StopSignal.endCommand(child);
    } catch (UncheckedIOException e) {
      if (write == null) {
        throw e;
      }
      throw new UserError("cannot write " + write + ": " + e.getCause().getMessage(), UserError.EXIT_FAILURE);
    }
  }

  /** Starts the user's command, if any, and follows its process tree. */
  private void startCommand(DisplayFilter filter, RecordingWriter writer) {
    if (command.isEmpty()) {
      return;
    }
    try {
      child = new ProcessBuilder(command).inheritIO().start();
    } catch (IOException e) {
      throw new UserError("cannot run " + command.get(0) + ": " + e.getMessage(), EXIT_COMMAND_NOT_FOUND);
    }
    filter.follow((int) child.pid());
    if (writer != null) {
      writer.note(FOLLOW_NOTE, Long.toString(child.pid()));
    }
  }

  private boolean over() {
    return stop.requested() || (child != null && !child.isAlive());
  }

  private void runPerEvent(ProbeSession session, ModelDriver driver, TracePrinter printer, PrintStream out,
      RecordingWriter writer) {
    printer.header();
    long deadline = deadline();
    long lostSoFar = 0;
    while (!shouldStop(deadline)) {
      session.poll(driver::accept, 50);
      long now = System.nanoTime();
      driver.tick(now);
      long lost = session.drops();
      if (lost > lostSoFar) {
        if (writer != null) {
          writer.lost(now, lost - lostSoFar);
        }
        printer.lost(lost - lostSoFar);
        lostSoFar = lost;
      }
      out.flush();
      if (out.checkError()) {
        stop.request(); // whoever read our output is gone (`trace | head`): end quietly, like a pipeline does
      }
    }
    while (session.poll(driver::accept, 0) > 0) {
      // everything the kernel wrote before we stopped
    }
    driver.drain();
  }

  /**
   * {@code trace --replay}: the recorded run's lines again, from the same model fed the same inputs, with the recorded
   * peer wait unless --peer-wait is given.
   */
  private int replay() throws IOException {
    RecordingHeader header;
    try {
      header = RecordingReader.readHeader(replay);
    } catch (IOException e) {
      throw UserError.unreadableRecording(replay, e);
    }
    boolean peerWaitGiven = spec != null && spec.commandLine().getParseResult().hasMatchedOption("--peer-wait");
    try (PrintStream out = openOutput()) {
      TraceSummary summary = new TraceSummary();
      TracePrinter printer = new TracePrinter(out, formatter(new MonotonicClock(header.epochNanosAtMonotonicZero(), 0)),
          summary);
      printer.header();
      ReplayResult result = Replay.run(replay, peerWaitGiven ? peerWaitMillis * 1_000_000L : -1, printer,
          new ReplayListener() {
            @Override
            public void started(RecordingHeader h, ModelDriver driver) {
              printer.showOnly(new DisplayFilter(mechanisms, pid, comm, driver.channels(), h.recorderPid()));
            }

            @Override
            public void lost(long nanos, long count) {
              printer.lost(count);
            }

            @Override
            public void note(String key, String value) {
              if (key.equals(FOLLOW_NOTE)) {
                printer.filter().follow(Integer.parseInt(value));
              }
            }
          });
      out.flush();
      summary.print(System.err, result.lostEvents());
      if (result.error().isPresent()) {
        System.err.println("ipcscope: " + replay + ": " + result.error().get());
        return UserError.EXIT_FAILURE;
      }
      return 0;
    }
  }

  private EventFormatter formatter(MonotonicClock clock) {
    return json ? new JsonFormatter(clock) : new TextFormatter(clock);
  }

  /** The -w recording, its header written; null without -w. */
  private RecordingWriter openRecording(RecordingHeader header) {
    if (write == null) {
      return null;
    }
    try {
      return RecordingWriter.create(write, header);
    } catch (IOException e) {
      throw new UserError("cannot write " + write + ": " + reason(e));
    }
  }

  private boolean shouldStop(long deadlineNanos) {
    return over() || (deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0);
  }

  private long deadline() {
    return duration > 0 ? System.nanoTime() + (long) (duration * 1e9) : 0;
  }

  private void validate() {
    if (write != null && aggregate) {
      throw new UserError("-w records the per-event stream: it cannot be used with --aggregate");
    }
    if (write != null) {
      // before the privilege check and the probes: a typo in the path should not cost a probe load to learn of
      Path parent = write.toAbsolutePath().getParent();
      if (!java.nio.file.Files.isDirectory(parent)) {
        throw new UserError("cannot write " + write + ": no such directory " + parent);
      }
      if (java.nio.file.Files.isDirectory(write) || !java.nio.file.Files.isWritable(parent)
          && !java.nio.file.Files.isWritable(write)) {
        throw new UserError("cannot write " + write + ": " + (java.nio.file.Files.isDirectory(write)
            ? "it is a directory" : "permission denied"));
      }
    }
    if (replay != null && (aggregate || write != null || !command.isEmpty() || duration != 0 || posixSemaphores)) {
      throw new UserError("--replay shows a recording: it takes no --aggregate, -w, --duration, "
          + "--posix-semaphores or command");
    }
    if (ringMib <= 0 || ringMib > 512 || Integer.bitCount(ringMib) != 1) {
      throw new UserError("--ring-size must be a power of two in MiB from 1 to 512, not " + ringMib);
    }
    if (duration < 0 || duration > MAX_DURATION_SECONDS) {
      throw new UserError("--duration must be from 0 (until stopped) to " + (long) MAX_DURATION_SECONDS + " seconds");
    }
    if (peerWaitMillis < 0 || peerWaitMillis > MAX_PEER_WAIT_MILLIS) {
      throw new UserError("--peer-wait must be from 0 to " + MAX_PEER_WAIT_MILLIS + " ms");
    }
    if (interval <= 0) {
      throw new UserError("--interval must be positive");
    }
    if (pid < 0) {
      throw new UserError("--pid must be a process id, not " + pid);
    }
    if (comm.length() > 15) {
      throw new UserError("--comm matches the kernel's 15-character command name; '" + comm + "' is longer");
    }
  }

  private PrintStream openOutput() {
    if (output == null) {
      return new PrintStream(new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
          false, StandardCharsets.UTF_8) {
        @Override
        public void close() {
          flush(); // never close stdout
        }
      };
    }
    try {
      OutputStream file = new FileOutputStream(output.toFile());
      return new PrintStream(new BufferedOutputStream(file, 1 << 16), false, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError("cannot write " + output + ": " + reason(e));
    }
  }

  /** "Permission denied" out of FileOutputStream's "/x/y (Permission denied)". */
  private static String reason(IOException e) {
    String m = e.getMessage();
    return m != null && m.endsWith(")") && m.contains("(") ? m.substring(m.lastIndexOf('(') + 1, m.length() - 1) : m;
  }
}
