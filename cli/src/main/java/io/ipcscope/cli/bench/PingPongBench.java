package io.ipcscope.cli.bench;

import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.UserError;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Two processes do one-byte round trips (over pipes, message queues, sockets or shared memory) while each tracer in turn watches; the modes alternate
 * within each round, so every traced run has an untraced run of the same round next to it. Prints the median ns per
 * round trip of each mode and the median of its per-round ratios to untraced: on a machine whose speed drifts by
 * ±10% from one second to the next, pairing runs of the same round cancels most of the drift that a ratio of
 * medians keeps.
 */
@Command(
    name = "pingpong",
    mixinStandardHelpOptions = true,
    description = {
      "Tracing overhead on 1-byte round trips between two processes (pipes,",
      "message queues, Unix or TCP sockets, or shared memory with semaphores),",
      "as ratios to untraced.",
      "Modes alternate: untraced, floor (an empty sys_exit program: what any syscall hook costs here),",
      "ipcscope aggregate, ipcscope per-event, and bpftrace, perf trace and strace",
      "when installed; ratios are medians of per-round ratios to the untraced run of the same round."
    },
    footer = {"", "Examples:", "  sudo ipcscope bench pingpong --round-trips 50000 --rounds 5",
        "  sudo ipcscope bench pingpong --transport shm_sem --modes aggregate,bpftrace"})
public final class PingPongBench implements Callable<Integer> {

  static final double AGGREGATE_TARGET = 1.10;
  static final double PER_EVENT_TARGET = 1.25;

  @Option(names = "--round-trips", defaultValue = "50000", description = "Round trips per run (default: ${DEFAULT-VALUE}).")
  long roundTrips;

  @Option(names = "--rounds", defaultValue = "7", description = "Runs of each mode (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--no-others", description = "Skip bpftrace, perf trace and strace.")
  boolean noOthers;

  @Option(names = "--transport", defaultValue = "pipe", converter = TransportConverter.class,
      description = "pipe, sysv_mq, posix_mq, unix_stream, unix_dgram, tcp or shm_sem (default: ${DEFAULT-VALUE}).")
  Transport.Kind transport;

  /** Accepts the names the rest of the tool uses for mechanisms ("sysv_mq"). */
  static final class TransportConverter implements picocli.CommandLine.ITypeConverter<Transport.Kind> {
    @Override
    public Transport.Kind convert(String value) {
      for (Transport.Kind k : Transport.Kind.values()) {
        if (k.id().equals(value.trim().toLowerCase(java.util.Locale.ROOT))) {
          return k;
        }
      }
      throw new picocli.CommandLine.TypeConversionException("unknown transport '" + value + "': valid ones are "
          + String.join(", ", java.util.Arrays.stream(Transport.Kind.values()).map(Transport.Kind::id).toList()));
    }
  }

  @Option(names = "--modes", split = ",", paramLabel = "MODE",
      description = "Run only these modes, comma-separated (untraced always runs: the ratios need it).")
  List<String> onlyModes;

  @Option(names = "--cpu", description = "Pin both ping-pong processes to this CPU; -1: do not pin "
      + "(default: the last CPU, when there are two or more and taskset is installed).")
  Integer cpu;

  @Override
  public Integer call() throws Exception {
    if (roundTrips <= 0 || rounds <= 0) {
      throw new UserError("--round-trips and --rounds must be positive");
    }
    Preflight.requireTracingAllowed("ipcscope bench pingpong");
    Map<String, Supplier<TracerMode>> modes = modes();
    if (onlyModes != null) {
      for (String mode : onlyModes) {
        if (!modes.containsKey(mode)) {
          String notApplicable = ExternalTracer.notApplicable(transport);
          throw new UserError("unknown or unavailable mode '" + mode + "': available here are "
              + String.join(", ", modes.keySet()) + (notApplicable == null ? "" : " (" + notApplicable + ")"));
        }
      }
      modes.keySet().removeIf(mode -> !mode.equals("untraced") && !onlyModes.contains(mode));
    }
    Map<String, List<Double>> nsPerRoundTrip = new LinkedHashMap<>();
    Map<String, String> notes = new LinkedHashMap<>();
    PrintStream out = System.out;
    out.printf("pingpong: %d one-byte round trips per run %s, %d rounds, modes: %s%n", roundTrips,
        transport.describe(), rounds, String.join(", ", modes.keySet()));

    int pinned = cpu != null ? cpu
        : Runtime.getRuntime().availableProcessors() > 1 && ExternalTracer.installed("taskset")
            ? Runtime.getRuntime().availableProcessors() - 1 : -1;
    out.println(pinned >= 0 ? "both processes pinned to CPU " + pinned : "processes not pinned");
    String notApplicable = ExternalTracer.notApplicable(transport);
    if (notApplicable != null && !noOthers && onlyModes == null) {
      out.println(notApplicable);
    }
    Process driver = new ProcessBuilder(PingPongDriver.driverCommand(pinned, transport))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (PrintStream control = new PrintStream(driver.getOutputStream(), true, StandardCharsets.US_ASCII);
        BufferedReader answers = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.US_ASCII))) {
      String ready = answers.readLine();
      if (ready == null || !ready.startsWith("ready ")) {
        throw new UserError("the ping-pong driver did not start", UserError.EXIT_FAILURE);
      }
      long pongPid = Long.parseLong(ready.substring(6).trim());
      long warmUp = Math.max(roundTrips / 5, 1000);
      measure(control, answers, Math.max(roundTrips / 2, 1000)); // warm-up: JIT, page faults
      for (int round = 0; round < rounds; round++) {
        for (Map.Entry<String, Supplier<TracerMode>> mode : modes.entrySet()) {
          try (TracerMode tracer = mode.getValue().get()) {
            tracer.start(driver.pid(), pongPid);
            // steady state only: the tracer's start-up (JIT of its consumer, the /proc scan's tail) is not overhead
            // a traced workload pays for long, and on two CPUs it lands on the ping-pong's CPU
            measure(control, answers, warmUp);
            double ns = measure(control, answers, roundTrips) / (double) roundTrips;
            nsPerRoundTrip.computeIfAbsent(mode.getKey(), k -> new ArrayList<>()).add(ns);
            tracer.close();
            notes.put(mode.getKey(), tracer.note());
          }
        }
      }
    } finally {
      driver.destroy();
    }
    print(out, nsPerRoundTrip, notes);
    return 0;
  }

  private Map<String, Supplier<TracerMode>> modes() {
    Map<String, Supplier<TracerMode>> modes = new LinkedHashMap<>();
    modes.put("untraced", Untraced::new);
    modes.put("floor", FloorTracer::new);
    modes.put("aggregate", () -> new IpcscopeTracer(true));
    modes.put("per-event", () -> new IpcscopeTracer(false));
    if (!noOthers) {
      if (ExternalTracer.installed("bpftrace")) {
        modes.put("bpftrace", () -> ExternalTracer.bpftrace(transport));
      }
      if (ExternalTracer.installed("perf") && !transport.inLibc()) {
        modes.put("perf-trace", () -> ExternalTracer.perfTrace(transport.calls()));
      }
      if (ExternalTracer.installed("strace") && !transport.inLibc()) {
        modes.put("strace", () -> ExternalTracer.strace(transport.calls()));
      }
    }
    return modes;
  }

  private static long measure(PrintStream control, BufferedReader answers, long roundTrips) throws Exception {
    control.println(roundTrips);
    String elapsed = answers.readLine();
    if (elapsed == null) {
      throw new UserError("the ping-pong driver died", UserError.EXIT_FAILURE);
    }
    return Long.parseLong(elapsed.trim());
  }

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void print(PrintStream out, Map<String, List<Double>> results, Map<String, String> notes) {
    List<Double> base = results.get("untraced");
    out.printf("%-11s %12s %7s  %-48s %s%n", "MODE", "NS/RT(med)", "RATIO", "RUNS (ns per round trip)", "NOTE");
    results.forEach((mode, runs) -> {
      double ratio = pairedRatio(runs, base);
      String target = switch (mode) {
        case "aggregate" -> verdict(ratio, AGGREGATE_TARGET);
        case "per-event" -> verdict(ratio, PER_EVENT_TARGET);
        default -> "";
      };
      String runList = Arrays.toString(runs.stream().mapToLong(Math::round).toArray());
      out.printf("%-11s %12.0f %6.2fx  %-48s %s%s%n", mode, median(runs), ratio, runList,
          notes.getOrDefault(mode, ""), target);
    });
  }

  /** The median over rounds of runs[i] / base[i]: each run against the untraced run of its own round. */
  static double pairedRatio(List<Double> runs, List<Double> base) {
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < runs.size() && i < base.size(); i++) {
      ratios.add(runs.get(i) / base.get(i));
    }
    return median(ratios);
  }

  private static String verdict(double ratio, double target) {
    return String.format(" (target <= %.2fx: %s)", target, ratio <= target ? "met" : "NOT met");
  }

  /** The baseline: nothing attached. */
  private static final class Untraced implements TracerMode {
    @Override
    public String name() {
      return "untraced";
    }

    @Override
    public void start(long driverPid, long pongPid) {}

    @Override
    public void close() {}
  }
}
