package io.ipcscope.cli.top;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.UserError;
import io.ipcscope.tui.TopApp;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What {@code top --demo} costs: the demo workloads run (as their own processes) while this JVM runs what top runs,
 * first the probes and the model alone (the baseline), then the same with the dashboard drawing into a 120x40
 * virtual terminal twice a second. Prints this JVM's CPU for both, in % of one core.
 */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    description = {"The dashboard's CPU while demo all runs: the model alone, then the model and the dashboard."},
    footer = {"", "Example:", "  sudo ipcscope bench top --seconds 20"})
public final class TopBench implements Callable<Integer> {

  static final double TARGET_PERCENT = 3.0;

  @Option(names = "--seconds", defaultValue = "20", description = "Length of each phase (default: ${DEFAULT-VALUE}).")
  long seconds;

  @Option(names = "--warmup", defaultValue = "20", description = "Seconds before measuring: the demo's JVMs start and "
      + "the pipeline is compiled (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Override
  public Integer call() throws Exception {
    if (seconds <= 0 || warmup < 0) {
      throw new UserError("--seconds must be positive and --warmup not negative");
    }
    Preflight.requireTracingAllowed("ipcscope bench top");
    Process demo = TopCommand.startDemo();
    try (LiveTopSource source = new LiveTopSource(500)) {
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
      double model = cpuPercent(seconds);
      DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(120, 40));
      Thread dashboard = new Thread(() -> {
        try {
          TopApp.run(terminal, source, 500);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "bench-top");
      dashboard.start();
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmup)); // the dashboard too: its code is compiled before it is measured
      double both = cpuPercent(seconds);
      terminal.addInput(new KeyStroke('q', false, false));
      dashboard.join(5_000);
      System.out.printf("top: demo all at 20 records/s per workload, %d s per phase%n", seconds);
      System.out.printf("%-28s %6.2f %% of a core%n", "probes and model (baseline)", model);
      System.out.printf("%-28s %6.2f %% of a core%n", "probes, model and dashboard", both);
      System.out.printf("%-28s %6.2f %% of a core%n", "the dashboard's own share", both - model);
      System.out.printf("target: top <= %.1f %% of a core: %s%n", TARGET_PERCENT, both <= TARGET_PERCENT ? "met"
          : "NOT met");
    } finally {
      TopCommand.stopDemo(demo);
    }
    return 0;
  }

  /** This JVM's CPU over the next {@code seconds}, in % of one core. */
  private static double cpuPercent(long seconds) throws InterruptedException {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    return 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - t0);
  }
}
