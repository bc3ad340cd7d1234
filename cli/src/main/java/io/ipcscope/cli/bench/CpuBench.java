package io.ipcscope.cli.bench;

import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.UserError;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The tracer's own CPU at a steady event rate: two processes do paced pipe round trips (four events each) while this
 * JVM runs the per-event pipeline of {@code trace --json} into a discarding sink. The baseline, measured in the same
 * invocation over the same time, is this JVM's CPU while the same workload runs untraced, so JVM housekeeping is not
 * charged to tracing.
 */
@Command(
    name = "cpu",
    mixinStandardHelpOptions = true,
    description = {
      "The tracer's own CPU at a steady event rate, against the same JVM with the workload untraced.",
      "A paced pipe ping-pong produces --events-per-second events; the result is in %% of one core."
    },
    footer = {"", "Examples:", "  sudo ipcscope bench cpu --events-per-second 10000 --seconds 10",
        "  sudo ipcscope bench cpu --pipeline collect"})
public final class CpuBench implements Callable<Integer> {

  static final double TARGET_PERCENT = 5.0;

  @Option(names = "--events-per-second", defaultValue = "10000", description = "Event rate (default: ${DEFAULT-VALUE}).")
  long eventsPerSecond;

  @Option(names = "--pipeline", defaultValue = "trace", description = "What runs on the events: trace (decode, name "
      + "both ends, format JSON) or collect (the model, causal order, graph and spans, exported as OTLP JSON to "
      + "/dev/null) (default: ${DEFAULT-VALUE}).")
  String pipeline;

  @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "40", description = "Traced warm-up before the "
      + "measured phase: the JIT compiler's work on the pipeline is a start-up cost (default: ${DEFAULT-VALUE}).")
  long warmupSeconds;

  @Option(names = "--seconds", defaultValue = "10", description = "Length of each phase (default: ${DEFAULT-VALUE}).")
  long seconds;

  @Override
  public Integer call() throws Exception {
    if (!pipeline.equals("trace") && !pipeline.equals("collect")) {
      throw new UserError("--pipeline must be trace or collect, not " + pipeline);
    }
    if (eventsPerSecond < 4 || seconds <= 0) {
      throw new UserError("--events-per-second must be at least 4 and --seconds positive");
    }
    Preflight.requireTracingAllowed("ipcscope bench cpu");
    long roundTripsPerSecond = eventsPerSecond / 4; // write + read on each of the two pipes
    String notes;
    long roundTrips = roundTripsPerSecond * seconds;
    PrintStream out = System.out;
    out.printf("cpu: %d events/s (%d pipe round trips/s), %d s per phase, pipeline %s%n", roundTripsPerSecond * 4,
        roundTripsPerSecond, seconds, pipeline);
    Process driver = new ProcessBuilder(PingPongDriver.driverCommand(-1))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (PrintStream control = new PrintStream(driver.getOutputStream(), true, StandardCharsets.US_ASCII);
        BufferedReader answers = new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.US_ASCII))) {
      if (answers.readLine() == null) {
        throw new UserError("the ping-pong driver did not start", UserError.EXIT_FAILURE);
      }
      control.println(Math.min(roundTrips, 20_000) + " " + roundTripsPerSecond); // warm-up
      answers.readLine();
      double untraced = phase(control, answers, roundTrips, roundTripsPerSecond);
      double traced;
      try (TracerMode tracer = pipeline.equals("collect") ? new CollectorTracer() : new IpcscopeTracer(false)) {
        // Loading the probes, the /proc scan and JIT compilation are start-up costs, not the steady state.
        tracer.start(0, 0);
        // the consumer's colder paths are still being compiled after seconds (collect's more so: the SDK, the
        // exporter); JFR showed C2 at 9 % of a core 5 s in
        phase(control, answers, Math.max(roundTripsPerSecond * warmupSeconds, 1000), roundTripsPerSecond);
        tracer.resetCounts();
        traced = phase(control, answers, roundTrips, roundTripsPerSecond);
        tracer.close();
        notes = tracer.note();
      }
      double own = traced - untraced;
      out.printf("%-22s %8.2f %% of a core%n", "this JVM, untraced", untraced);
      out.printf("%-22s %8.2f %% of a core   (%s)%n", "this JVM, tracing", traced, notes);
      out.printf("%-22s %8.2f %% of a core   (target <= %.1f %%: %s)%n", "tracing's own share", own,
          TARGET_PERCENT, own <= TARGET_PERCENT ? "met" : "NOT met");
    } finally {
      driver.destroy();
    }
    return 0;
  }

  /** This JVM's CPU in % of one core while the driver does its paced round trips. */
  private static double phase(PrintStream control, BufferedReader answers, long roundTrips, long perSecond)
      throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    control.println(roundTrips + " " + perSecond);
    if (answers.readLine() == null) {
      throw new UserError("the ping-pong driver died", UserError.EXIT_FAILURE);
    }
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - wall0;
    return 100.0 * cpu / wall;
  }
}
