package io.ipcscope.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One {@code ipcscope} command run in this JVM, its output and errors captured: for commands that need no probes of
 * their own (help, usage errors, clients of a collector's socket, replays).
 *
 * @param out what it printed to stdout through picocli
 * @param err what it printed to stderr through picocli
 */
public record CliRun(int exitCode, String out, String err) {

  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Ipcscope.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
