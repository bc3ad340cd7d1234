package io.ipcscope.cli.bench;

import picocli.CommandLine.Command;

/** {@code ipcscope bench}: the performance targets, measured against baselines run in the same invocation. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measures ipcscope's cost against baselines run in the same invocation. Needs root.",
    subcommands = {PingPongBench.class, DrainBench.class, CpuBench.class, ReplayBench.class, CollectorBench.class,
        MemoryBench.class, LiveBench.class, io.ipcscope.cli.top.TopBench.class, AgentBench.class},
    footer = {"", "Examples:", "  sudo ipcscope bench pingpong", "  sudo ipcscope bench drain --events 20000000",
        "  sudo ipcscope bench cpu --events-per-second 10000", "  ipcscope bench replay --events 5000000",
        "  ipcscope bench collector", "  ipcscope bench memory",
        "  ipcscope bench agent"})
public final class BenchCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }
}
