package io.ipcscope.demo;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ipcscope demo}: runs one of the {@link Workloads} as real processes. Its workload
 * subcommands come from the registry, added when picocli injects the spec, so the command works
 * the same whether it is the root ({@link #main}) or added under {@code ipcscope} by annotation or
 * {@code addSubcommand(new DemoCommand())}. Call {@link #configure} on the root to get one-line
 * usage errors.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Runs a real multi-process IPC workload and records its exact ground truth.",
    footer = {
      "",
      "Examples:",
      "  ipcscope demo --list",
      "  ipcscope demo --cleanup      # after a demo was killed with SIGKILL",
      "  ipcscope demo pipe --messages 1000 --size 256 --truth pipe.json",
      "  ipcscope demo signal --duration 60 --rate 20"
    })
public final class DemoCommand implements Callable<Integer> {

  static {
    Run.useForkLaunch();
  }

  @Option(names = "--list", description = "List the workloads, one per line, and exit.")
  boolean list;

  @Option(names = "--cleanup", description = {
      "Remove the message queues, FIFOs and temp dirs left by demos killed with SIGKILL "
          + "(their pid is gone or now another process's); a running demo's are kept. Exit 1 if some could "
          + "not be checked or removed."})
  boolean cleanup;

  private CommandSpec spec;

  /**
   * Picocli injects the spec while it builds the model, whichever way the command is created
   * ({@code new CommandLine(new DemoCommand())}, {@code @Command(subcommands = DemoCommand.class)}
   * or {@code addSubcommand(new DemoCommand())}): the moment to add the workload subcommands.
   */
  @Spec
  void spec(CommandSpec spec) {
    this.spec = spec;
    new AddWorkloads().transform(spec);
  }

  /** Standalone: {@code java -cp ... io.ipcscope.demo.DemoCommand pipe --messages 10}. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The demo command with one-line usage errors (exit 2) and one-line failures (exit 1). */
  public static CommandLine newCommandLine() {
    return configure(new CommandLine(new DemoCommand()));
  }

  /** Makes usage errors one line on stderr with exit 2, and unexpected failures one line with exit 1. */
  public static CommandLine configure(CommandLine cl) {
    cl.setParameterExceptionHandler(DemoCommand::usageError);
    cl.setExecutionExceptionHandler((e, command, parsed) -> {
      command.getErr().println(command.getCommandSpec().qualifiedName() + ": " + WorkloadCommand.oneLine(e));
      return 1;
    });
    return cl;
  }

  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println(command.getCommandSpec().qualifiedName() + ": "
        + WorkloadCommand.oneLine(e) + " (see --help)");
    command.getErr().flush();
    return CommandLine.ExitCode.USAGE;
  }

  @Override
  public Integer call() {
    if (list && cleanup) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--list and --cleanup go one at a time");
    }
    if (cleanup) {
      return Cleanup.run(Path.of(System.getProperty("java.io.tmpdir")), spec.commandLine().getOut(),
          spec.commandLine().getErr());
    }
    if (list) {
      printList(spec.commandLine().getOut());
      return 0;
    }
    throw new CommandLine.ParameterException(spec.commandLine(), "missing workload: one of " + names());
  }

  static void printList(PrintWriter out) {
    int width = Workloads.all().stream().mapToInt(w -> w.name().length()).max().orElse(0);
    for (Workload w : Workloads.all()) {
      out.printf("%-" + width + "s  %s%n", w.name(), w.description());
    }
    out.flush();
  }

  private static String names() {
    return String.join(", ", Workloads.all().stream().map(Workload::name).toList());
  }

  /** Adds a subcommand per registered workload, and {@code list}. */
  static final class AddWorkloads implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      for (Workload w : Workloads.all()) {
        if (!spec.subcommands().containsKey(w.name())) {
          CommandLine sub = WorkloadCommand.commandLine(w);
          if (w.name().contains("-")) { // unix_socket, as trace's mechanisms are spelled, is fine too
            sub.getCommandSpec().aliases(w.name().replace('-', '_'));
          }
          spec.addSubcommand(w.name(), sub);
        }
      }
      if (!spec.subcommands().containsKey("list")) {
        spec.addSubcommand("list", new CommandLine(new ListCommand()));
      }
      return spec;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the workloads.")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      printList(spec.commandLine().getOut());
      return 0;
    }
  }
}
