package io.ipcscope.cli.bench;

import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.UserError;
import io.ipcscope.probes.BenchResult;
import io.ipcscope.probes.ProbeConfig;
import io.ipcscope.probes.ProbeSession;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Floods the ring buffer from a BPF program run through BPF_PROG_TEST_RUN and measures how fast the Java consumer
 * decodes it. The program stops when the ring is half full (flow control), so any drop is a defect. That drops are
 * counted when the ring does overflow is a kernel test (ProbeSessionKernelTest), not a benchmark.
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description = {
      "How fast the Java consumer decodes the ring buffer, in events per second of one core.",
      "A BPF program floods the ring with synthetic events, pausing at half a ring, so the drops must be 0."
    },
    footer = {"", "Example:", "  sudo ipcscope bench drain --events 20000000"})
public final class DrainBench implements Callable<Integer> {

  static final double TARGET_EVENTS_PER_SECOND = 2_000_000;

  @Option(names = "--events", defaultValue = "10000000", description = "Events per run (default: ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--runs", defaultValue = "3", description = "Runs; the best and the median are printed (default: ${DEFAULT-VALUE}).")
  int runs;

  @Override
  public Integer call() {
    if (events <= 0 || runs <= 0) {
      throw new UserError("--events and --runs must be positive");
    }
    Preflight.requireTracingAllowed("ipcscope bench drain");
    ProbeConfig config = ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.BENCH)).build();
    try (ProbeSession session = ProbeSession.open(config)) {
      if (!session.benchAvailable()) {
        throw new UserError("the bench probe did not load: run 'ipcscope doctor'", UserError.EXIT_FAILURE);
      }
      long[] checksum = new long[1];
      session.runBench(Math.min(events, 1_000_000), true, e -> checksum[0] += e.bytes()); // warm-up
      System.out.printf("drain: %d synthetic %d-byte events per run into a %d MiB ring, %d runs%n", events,
          io.ipcscope.probes.event.EventLayout.EVENT_SIZE, config.ringBytes() >> 20, runs);
      System.out.printf("%-16s %14s %14s %12s %10s%n", "MODE", "DECODED/S", "END-TO-END/S", "DELIVERED", "DROPS");
      double[] decoded = new double[runs];
      for (int i = 0; i < runs; i++) {
        BenchResult r = session.runBench(events, true, (IpcEvent e) -> checksum[0] += e.bytes());
        decoded[i] = r.drainEventsPerSecond();
        print("flow-controlled", r);
      }
      java.util.Arrays.sort(decoded);
      double median = decoded[runs / 2];
      System.out.printf("median decode rate %.2f M events/s on one core (target >= %.1f M/s: %s)%n", median / 1e6,
          TARGET_EVENTS_PER_SECOND / 1e6, median >= TARGET_EVENTS_PER_SECOND ? "met" : "NOT met");
      if (checksum[0] == 42) {
        System.out.print(""); // keeps the sink's work observable to the JIT
      }
    }
    return 0;
  }

  private static void print(String mode, BenchResult r) {
    System.out.printf("%-16s %14.0f %14.0f %12d %10d%n", mode, r.drainEventsPerSecond(), r.endToEndEventsPerSecond(),
        r.delivered(), r.drops());
  }
}
