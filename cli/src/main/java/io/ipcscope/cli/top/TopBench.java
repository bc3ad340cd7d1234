package io.ipcscope.cli.top;

import com.googlecode.lanterna.TerminalSize;
import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.UserError;
import io.ipcscope.tui.StreamTerminal;
import io.ipcscope.tui.TerminalOutput;
import io.ipcscope.tui.TopApp;
import io.ipcscope.tui.TopFrame;
import io.ipcscope.tui.TopSource;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What {@code top --demo} costs: the demo workloads run (as their own processes) while this JVM runs what top runs,
 * the probes, the model and the dashboard on a 120x40 terminal, and measures its own CPU. After a warm-up that
 * compiles all of it, rounds alternate between the probes and the model alone (the baseline) and the whole of top,
 * so both see the same host: on a shared machine what others run is traced too, and changes the model's work.
 */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    description = {"The CPU of ipcscope top (probes, model and dashboard) while demo all runs, beside the probes and "
        + "the model alone, in % of one core, by thread."},
    footer = {"", "Example:", "  sudo ipcscope bench top --seconds 20 --rounds 3"})
public final class TopBench implements Callable<Integer> {

  static final double TARGET_PERCENT = 3.0;
  private static final long REFRESH_MILLIS = TopApp.DEFAULT_REFRESH_MILLIS;
  private static final TerminalSize SIZE = new TerminalSize(120, 40);
  /** After the dashboard starts or stops, before measuring: its first, complete draw is not what it costs later. */
  private static final long SETTLE_MILLIS = 2_000;
  /** The bench runs the dashboard on a thread of this name (top runs it on its main thread). */
  private static final String DASHBOARD_THREAD = "ipcscope-top";

  @Option(names = "--seconds", defaultValue = "20", description = "Length of each measured phase (default: "
      + "${DEFAULT-VALUE}).")
  long seconds;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds of one phase without and one with the "
      + "dashboard (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--warmup", defaultValue = "120", description = "Seconds of top running before measuring: the demo's "
      + "JVMs start and this one compiles the pipeline and the dashboard (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Override
  public Integer call() throws Exception {
    if (seconds <= 0 || rounds <= 0 || warmup < 0) {
      throw new UserError("--seconds and --rounds must be positive and --warmup not negative");
    }
    Preflight.requireTracingAllowed("ipcscope bench top");
    Process demo = TopCommand.startDemo();
    try (LiveTopSource live = new LiveTopSource(REFRESH_MILLIS)) {
      WatchedSource source = new WatchedSource(live);
      CountingStream terminalBytes = new CountingStream(new FileOutputStream("/dev/null"));
      Dashboard warming = Dashboard.start(source, terminalBytes);
      TimeUnit.SECONDS.sleep(warmup);
      warming.quit();

      Phase model = new Phase();
      Phase top = new Phase();
      TopFrame first = source.newest().orElse(null);
      long bytes = 0;
      long writes = 0;
      for (int round = 0; round < rounds; round++) {
        TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        model.measure(seconds);
        Dashboard dashboard = Dashboard.start(source, terminalBytes);
        TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
        long bytes0 = terminalBytes.count.get();
        long writes0 = terminalBytes.writes.get();
        top.measure(seconds);
        bytes += terminalBytes.count.get() - bytes0;
        writes += terminalBytes.writes.get() - writes0;
        dashboard.quit();
      }
      TopFrame last = source.newest().orElse(null);
      print(model, top, first, last, (double) bytes / (rounds * seconds), (double) writes / (rounds * seconds));
    } finally {
      TopCommand.stopDemo(demo);
    }
    return 0;
  }

  private void print(Phase model, Phase top, TopFrame first, TopFrame last, double bytesPerSecond,
      double writesPerSecond) {
    System.out.printf("top: demo all at 20 records/s per workload, %dx%d terminal, a frame every %d ms%n",
        SIZE.getColumns(), SIZE.getRows(), REFRESH_MILLIS);
    System.out.printf("%d s warm-up, then %d rounds of %d s without and %d s with the dashboard%n", warmup, rounds,
        seconds, seconds);
    if (first != null && last != null && last.atNanos() > first.atNanos()) {
      double events = (last.health().events() - first.health().events()) * 1e9 / (last.atNanos() - first.atNanos());
      System.out.printf("traced on this host meanwhile: %.0f events/s; %d edges in the graph at the end%n", events,
          last.graph().edges().size());
    }
    System.out.printf("%n%-34s %14s %8s%n", "% of one core", "probes+model", "top");
    for (String group : GROUPS) {
      System.out.printf("  %-32s %14.2f %8.2f%n", group, model.percent(group), top.percent(group));
    }
    System.out.printf("  %-32s %14.2f %8.2f   (%.2fx; the dashboard's share %.2f)%n", "whole process",
        model.processPercent(), top.processPercent(), top.processPercent() / model.processPercent(),
        top.processPercent() - model.processPercent());
    System.out.printf("each round, whole process: probes+model %s; top %s%n", model.rounds(), top.rounds());
    System.out.printf("terminal output: %.0f bytes/s in %.1f writes/s%n", bytesPerSecond, writesPerSecond);
    System.out.printf("target: top <= %.1f %% of a core: %s (%.2f %%)%n", TARGET_PERCENT,
        top.processPercent() <= TARGET_PERCENT ? "met" : "NOT met", top.processPercent());
  }

  private static final String DASHBOARD = "dashboard (draw, keys)";
  private static final String READER = "probes and model (reader)";
  private static final String JIT = "JIT compilers";
  private static final String JVM = "GC, safepoints, JVM housekeeping";
  private static final String OTHER = "other threads";
  private static final List<String> GROUPS = List.of(DASHBOARD, READER, JIT, JVM, OTHER);

  /** Which line a thread's CPU goes on, by its name as the kernel has it (15 characters). */
  private static String group(String thread) {
    if (thread.equals(DASHBOARD_THREAD) || thread.startsWith("ipcscope-top-ke")) {
      return DASHBOARD;
    }
    if (thread.startsWith("ipcscope-top-re")) {
      return READER;
    }
    if (thread.startsWith("C1 Compiler") || thread.startsWith("C2 Compiler")) {
      return JIT;
    }
    if (thread.startsWith("VM ") || thread.startsWith("GC ") || thread.startsWith("G1 ")
        || thread.equals("Monitor Deflati") || thread.equals("Service Thread") || thread.equals("Sweeper thread")) {
      return JVM;
    }
    return OTHER;
  }

  /** One kind of phase over all rounds: this process's CPU and its threads', and the time measured. */
  private static final class Phase {
    private final Map<String, Long> byGroup = new LinkedHashMap<>();
    private final List<Double> roundPercents = new ArrayList<>();
    private long processNanos;
    private long wallNanos;

    void measure(long seconds) throws InterruptedException {
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      Map<Integer, ThreadCpu.Sample> threads0 = ThreadCpu.sample();
      long cpu0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      TimeUnit.SECONDS.sleep(seconds);
      long cpu = os.getProcessCpuTime() - cpu0;
      long wall = System.nanoTime() - t0;
      ThreadCpu.used(threads0, ThreadCpu.sample(), TopBench::group).forEach((g, n) -> byGroup.merge(g, n, Long::sum));
      processNanos += cpu;
      wallNanos += wall;
      roundPercents.add(100.0 * cpu / wall);
    }

    double percent(String group) {
      return 100.0 * byGroup.getOrDefault(group, 0L) / wallNanos;
    }

    /** The whole process, threads that ended included (the per-thread lines miss those). */
    double processPercent() {
      return 100.0 * processNanos / wallNanos;
    }

    String rounds() {
      StringBuilder s = new StringBuilder();
      for (double p : roundPercents) {
        s.append(s.length() > 0 ? " " : "").append(String.format("%.2f", p));
      }
      return s.toString();
    }
  }

  /** The dashboard on a thread of its own, on a terminal like a tty's, until told to quit. */
  private record Dashboard(Thread thread, StreamTerminal terminal) {

    static Dashboard start(TopSource source, OutputStream out) throws IOException {
      StreamTerminal terminal = StreamTerminal.open(SIZE, new TerminalOutput(out));
      Thread thread = new Thread(() -> {
        try {
          TopApp.run(terminal, source, REFRESH_MILLIS);
        } catch (IOException e) {
          throw new IllegalStateException("the dashboard failed: " + e.getMessage(), e);
        }
      }, DASHBOARD_THREAD);
      thread.start();
      return new Dashboard(thread, terminal);
    }

    void quit() throws IOException, InterruptedException {
      terminal.type("q");
      thread.join(5_000);
      if (thread.isAlive()) {
        throw new IllegalStateException("the dashboard did not quit within 5 s of q");
      }
      terminal.close();
    }
  }

  /** The live source, remembering the newest frame handed out, so the bench can see the host's load. */
  private static final class WatchedSource implements TopSource {
    private final TopSource source;
    private volatile TopFrame newest;

    WatchedSource(TopSource source) {
      this.source = source;
    }

    @Override
    public synchronized Optional<TopFrame> poll() {
      Optional<TopFrame> next = source.poll();
      next.ifPresent(f -> newest = f);
      return next;
    }

    /** The newest frame: the one the dashboard took last, or a newer one. Not while the dashboard runs: it takes it. */
    Optional<TopFrame> newest() {
      poll();
      return Optional.ofNullable(newest);
    }

    @Override
    public String describe() {
      return source.describe();
    }
  }

  /** Counts the bytes the dashboard writes to its terminal, and the writes (each a write(2) on a tty). */
  private static final class CountingStream extends OutputStream {
    private final OutputStream out;
    final AtomicLong count = new AtomicLong();
    final AtomicLong writes = new AtomicLong();

    CountingStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      count.incrementAndGet();
      writes.incrementAndGet();
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      count.addAndGet(len);
      writes.incrementAndGet();
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
