package io.ipcscope.cli.top;

import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.UserError;
import io.ipcscope.cli.live.LiveSocket;
import io.ipcscope.tui.TopApp;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ipcscope top}: a live terminal view of who talks to whom. */
@Command(
    name = "top",
    mixinStandardHelpOptions = true,
    description = {
      "A live view of who talks to whom on this host: one row per edge (from, to,",
      "mechanism, channel, rates, totals, latency, a sparkline), and views of",
      "channels, processes, signals, the map of who talks to whom, and the",
      "operations as they happen. Needs root, except for --replay."
    },
    footer = {
      "",
      "Keys: q quit, Tab or 1-6 a view, Enter the selected row's detail (latency",
      "histogram, last operations, trace ids), / filter, m one mechanism family,",
      "s sort, f follow a row, p pause, ? help.",
      "Replaying: p or Space pause its clock, [ ] seek 10 s back/forward, { } 60 s,",
      "- + halve/double the speed.",
      "",
      "Examples:",
      "  sudo ipcscope top --demo        the dashboard, with every demo workload running (stopped on quit)",
      "  sudo ipcscope top               this host's IPC",
      "  ipcscope top --replay rec.bin --speed 4   a recording (trace -w), four times as fast",
      "  sudo ipcscope top --connect      what the running ipcscope collect sees"
    })
public final class TopCommand implements Callable<Integer> {

  @Option(names = "--demo", description = "Also run every demo workload (ipcscope demo all, continuous, 20 records/s "
      + "each) and stop it on quit.")
  boolean demo;

  @Option(names = "--replay", paramLabel = "FILE", description = "Show a recording (trace -w) instead of this host, "
      + "at the pace it was recorded, with its place and length in the header; it can be paused and seeked. Needs no "
      + "root.")
  java.nio.file.Path replay;

  @Option(names = "--connect", paramLabel = "SOCKET", arity = "0..1", fallbackValue = LiveSocket.DEFAULT,
      description = "Show what a running ipcscope collect sees, from its live socket (default: " + LiveSocket.DEFAULT
          + "), instead of loading probes here.")
  java.nio.file.Path connect;

  @Option(names = "--speed", paramLabel = "X", defaultValue = "1", description = "With --replay: how many times "
      + "faster than recorded, to start with; + and - change it (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--refresh", paramLabel = "MS", defaultValue = "500",
      description = "Milliseconds between redraws (default: ${DEFAULT-VALUE}).")
  long refreshMillis;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (refreshMillis < 100 || refreshMillis > 10_000) {
      throw new UserError("--refresh must be from 100 to 10000 ms");
    }
    if (System.console() == null) {
      throw new UserError("ipcscope top needs a terminal: run it in one (for a log, use ipcscope trace)");
    }
    if (speed < ReplayTopSource.MIN_SPEED || speed > ReplayTopSource.MAX_SPEED) {
      throw new UserError("--speed must be from 0.015625 (1/64) to 1024");
    }
    if ((replay != null ? 1 : 0) + (connect != null ? 1 : 0) + (demo ? 1 : 0) > 1) {
      throw new UserError("--replay, --connect and --demo each choose what top shows: give one of them");
    }
    if (replay == null && connect == null) {
      Preflight.requireTracingAllowed("ipcscope top");
    }
    Process demoProcess = null;
    try (io.ipcscope.tui.TopSource source = replay != null ? new ReplayTopSource(replay, speed, refreshMillis)
        : connect != null ? new SocketTopSource(connect, refreshMillis) : new LiveTopSource(refreshMillis)) {
      if (demo) {
        demoProcess = startDemo();
      }
      return TopApp.run(TopApp.openTerminal(), source, refreshMillis);
    } finally {
      if (demoProcess != null) {
        stopDemo(demoProcess);
      }
    }
  }

  static Process startDemo() {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    cmd.addAll(List.of("-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "io.ipcscope.cli.Ipcscope", "demo", "all", "-q", "--duration",
        "86400", "--rate", "20"));
    try {
      return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new UserError("cannot start the demo workloads: " + e.getMessage(), UserError.EXIT_FAILURE);
    }
  }

  /** SIGTERM: the demo ends its workloads and removes their IPC objects; killed if it takes over 10 s. */
  static void stopDemo(Process demo) throws InterruptedException {
    demo.toHandle().destroy();
    if (!demo.waitFor(10, TimeUnit.SECONDS)) {
      demo.descendants().forEach(ProcessHandle::destroyForcibly);
      demo.destroyForcibly();
    }
  }
}
