package io.ipcscope.cli;

import io.ipcscope.probes.bpf.BpfException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr and an exit code: 2 for usage, privileges and missing kernel
 * features, 1 for failures after start. {@code IPCSCOPE_DEBUG=1} adds the stack trace for bug reports.
 */
final class CliErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("ipcscope: " + ex.getMessage());
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage and examples.");
    err.flush();
    return UserError.EXIT_USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int code;
    if (ex instanceof UserError user) {
      err.println("ipcscope: " + user.getMessage());
      code = user.exitCode();
    } else if (ex instanceof BpfException bpf) {
      err.println("ipcscope: " + bpf.getMessage());
      code = UserError.EXIT_FAILURE;
    } else {
      err.println("ipcscope: internal error: " + ex + " (set IPCSCOPE_DEBUG=1 for details, and please report it)");
      code = UserError.EXIT_FAILURE;
    }
    if (System.getenv("IPCSCOPE_DEBUG") != null) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }
}
