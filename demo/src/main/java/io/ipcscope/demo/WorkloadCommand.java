package io.ipcscope.demo;

import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.GroundTruthJson;
import io.ipcscope.demo.truth.TruthChannel;
import io.ipcscope.demo.truth.TruthLock;
import io.ipcscope.demo.truth.TruthLockWait;
import io.ipcscope.demo.truth.TruthSignal;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The subcommand of one workload: validates the options, runs it, writes the truth. */
@Command(mixinStandardHelpOptions = true, sortOptions = false)
final class WorkloadCommand implements Callable<Integer> {

  private final Workload workload;

  @Mixin WorkloadOptions options;

  @Spec CommandSpec spec;

  WorkloadCommand(Workload workload) {
    this.workload = workload;
  }

  /** A configured command line for {@code workload}, with its description and example. */
  static CommandLine commandLine(Workload workload) {
    CommandLine cl = new CommandLine(new WorkloadCommand(workload));
    cl.getCommandSpec().name(workload.name());
    cl.getCommandSpec().usageMessage()
        .description(workload.description())
        .footer("", "Example:",
            "  ipcscope demo " + workload.name() + " --messages 1000 --size 256 --truth " + workload.name() + ".json",
            "  ipcscope demo " + workload.name() + " --duration 60 --rate 50   # live traffic for a dashboard");
    return cl;
  }

  @Override
  public Integer call() {
    if (spec.parent() != null && spec.parent().userObject() instanceof DemoCommand demo && (demo.list || demo.cleanup)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          (demo.list ? "--list" : "--cleanup") + " takes no workload");
    }
    Settings settings;
    try {
      settings = options.settings();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter err = spec.commandLine().getErr();
    Run run = new Run(workload.name(), settings, err);
    GroundTruth truth;
    try {
      truth = execute(workload, run);
    } catch (Exception e) {
      if (run.aborted()) {
        return 143; // Told to stop: the shutdown hook cleaned up; nothing to report.
      }
      err.println("demo " + workload.name() + ": " + oneLine(e));
      err.flush();
      return 1;
    }
    try {
      if (settings.truth() != null) {
        GroundTruthJson.write(settings.truth(), truth);
      }
    } catch (Exception e) {
      err.println("demo " + workload.name() + ": writing the ground truth: " + oneLine(e));
      err.flush();
      return 1;
    }
    if (!settings.quiet()) {
      err.println(summary(truth, settings));
      err.flush();
    }
    return 0;
  }

  /**
   * Runs {@code workload} in {@code run} to the end and returns its truth; the run is closed
   * (processes stopped, temp files removed) whatever happens. The one way a workload runs, for
   * its subcommand and for each part of {@code demo all}.
   */
  static GroundTruth execute(Workload workload, Run run) throws Exception {
    try (run) {
      workload.run(run);
      return run.truth(System.nanoTime());
    }
  }

  static String summary(GroundTruth truth, Settings settings) {
    long bytes = truth.channels().stream().mapToLong(TruthChannel::bytes).sum();
    long signals = truth.signals().stream().mapToLong(TruthSignal::count).sum();
    int channels = truth.channels().size();
    long acquires = truth.locks().stream().mapToLong(TruthLock::acquires).sum();
    long waited = truth.lockWaits().stream().mapToLong(TruthLockWait::count).sum();
    return String.format(Locale.ROOT, "demo %s: done in %.2f s: %d processes, %d %s carried %d bytes, %d %s%s%s",
        truth.workload(), (truth.endedNs() - truth.startedNs()) / 1e9, truth.processes().size(),
        channels, channels == 1 ? "channel" : "channels", bytes, signals, signals == 1 ? "signal" : "signals",
        truth.locks().isEmpty() ? "" : ", " + acquires + " lock acquisitions (" + waited + " after waiting)",
        settings.truth() == null ? "" : "; truth in " + settings.truth());
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
