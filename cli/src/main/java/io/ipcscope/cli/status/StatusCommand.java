package io.ipcscope.cli.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipcscope.cli.UserError;
import io.ipcscope.cli.live.LiveSocket;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ipcscope status}: what a running collector sees, from its live socket. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Asks the running collector (ipcscope collect) for a snapshot: its uptime, the events it takes, what it lost, "
          + "the spans it exported, the size of its model, and the edges that moved the most bytes.",
      "Needs root: the collector's socket is root's."
    },
    footer = {
      "",
      "Examples:",
      "  sudo ipcscope status                                     a summary",
      "  sudo ipcscope status --json | jq .health                 the whole snapshot (docs/LIVE-API.md)",
      "  sudo ipcscope status --socket /tmp/c.sock                a collector started with --socket /tmp/c.sock"
    })
public final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--socket", paramLabel = "PATH", defaultValue = LiveSocket.DEFAULT,
      description = "The collector's socket (default: ${DEFAULT-VALUE}).")
  Path socket;

  @Option(names = "--json", description = "Print the collector's snapshot as it sent it: one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    String snapshot = LiveSocket.snapshot(socket);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(snapshot);
      out.flush();
      return 0;
    }
    try {
      out.print(StatusReport.render(new ObjectMapper().readTree(snapshot)));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new UserError("the collector at " + socket + " answered something that is not JSON: is it an ipcscope "
          + "collector of this version?", UserError.EXIT_FAILURE);
    }
    return 0;
  }
}
