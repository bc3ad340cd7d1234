package io.ipcscope.cli;

import io.ipcscope.cli.attach.AttachCommand;
import io.ipcscope.cli.bench.BenchCommand;
import io.ipcscope.cli.collect.CollectCommand;
import io.ipcscope.cli.doctor.DoctorCommand;
import io.ipcscope.cli.graph.GraphCommand;
import io.ipcscope.cli.status.StatusCommand;
import io.ipcscope.cli.top.TopCommand;
import io.ipcscope.cli.trace.TraceCommand;
import io.ipcscope.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The front door: {@code ipcscope trace | collect | status | graph | doctor | attach | demo | bench}. */
@Command(
    name = "ipcscope",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Shows every way the processes of this host talk to each other, both ends named.",
    subcommands = {TraceCommand.class, CollectCommand.class, TopCommand.class, StatusCommand.class, GraphCommand.class,
        DoctorCommand.class, AttachCommand.class, DemoCommand.class, BenchCommand.class},
    footer = {
      "",
      "Examples:",
      "  ipcscope doctor                       can this host be traced?",
      "  sudo ipcscope trace                   every IPC operation on the host, live, both ends named",
      "  sudo ipcscope trace --json -o ev.jsonl --duration 10",
      "  sudo ipcscope status                  what the running collector (ipcscope collect) sees",
      "  ipcscope attach 4242                  the Java agent into a running JVM: its IPC calls, by thread and span",
      "  ipcscope demo pipe --duration 60      a real workload to look at"
    })
public final class Ipcscope implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new Ipcscope());
    cmd.setExecutionExceptionHandler(new CliErrors());
    cmd.setParameterExceptionHandler(new CliErrors());
    giveVersionToAll(cmd);
    return cmd;
  }

  /** Every subcommand's -V prints the same version as ipcscope -V, not nothing. */
  private static void giveVersionToAll(CommandLine cmd) {
    for (CommandLine sub : cmd.getSubcommands().values()) {
      if (sub.getCommandSpec().versionProvider() == null) {
        sub.getCommandSpec().versionProvider(new Version());
      }
      giveVersionToAll(sub);
    }
  }

  public static void main(String[] args) {
    quietProcessHygiene();
    System.exit(commandLine().execute(args));
  }

  /**
   * Keeps this JVM from talking IPC of its own that a trace would show: JNA otherwise runs {@code ldconfig -p} and
   * reads its output over a pipe to find libraries, and the JDK's default launcher passes launch data to
   * jspawnhelper over a pipe. Both are set before anything loads JNA or starts a process.
   */
  static void quietProcessHygiene() {
    if (System.getProperty("jna.platform.library.path") == null) {
      System.setProperty("jna.platform.library.path",
          "/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib");
    }
    if (System.getProperty("jdk.lang.Process.launchMechanism") == null) {
      System.setProperty("jdk.lang.Process.launchMechanism", "FORK");
    }
  }
}
