package io.ipcscope.cli.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.ipcscope.cli.AgentJar;
import io.ipcscope.cli.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ipcscope attach PID}: the Java agent into a running JVM, as -javaagent would have put it at its start. */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description = {
      "Loads the ipcscope agent into a running JVM (HotSpot's attach mechanism), which then reports its IPC calls "
          + "to the collector, or exports them as OTLP when none runs (docs/AGENT.md).",
      "Run it as the JVM's user or as root. The agent's own messages go to that JVM's stderr; JDK 21 and later also "
          + "print a warning there about an agent loaded at run time, unless the JVM was started with "
          + "-XX:+EnableDynamicAgentLoading."
    },
    footer = {
      "",
      "Examples:",
      "  ipcscope attach 4242                                         with the agent's defaults",
      "  ipcscope attach 4242 --options mechanisms=process+signal,debug=true",
      "  sudo -u app ipcscope attach 4242 --agent-jar /opt/ipcscope/ipcscope-agent.jar"
    })
public final class AttachCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "The JVM's process id.")
  long pid;

  @Option(names = "--options", paramLabel = "OPTIONS",
      description = "The agent's options, as after -javaagent:ipcscope-agent.jar= (key=value,key=value).")
  String options;

  @Option(names = "--agent-jar", paramLabel = "PATH",
      description = "The agent jar (default: " + AgentJar.NAME + " next to ipcscope's own jar, or in the build).")
  Path agentJar;

  @Override
  public Integer call() {
    if (pid == ProcessHandle.current().pid()) {
      throw new UserError("process " + pid + " is ipcscope itself");
    }
    TargetJvm target = TargetJvm.of(pid);
    target.checkAttachableBy(TargetJvm.currentUid(), System.getProperty("user.name", "?"));
    Path jar = AgentJar.find(agentJar, AgentJar.running());
    load(target, jar);
    PrintWriter out = spec.commandLine().getOut();
    out.println("ipcscope: agent " + jar + " loaded into " + pid + " (" + target.command() + ")");
    out.flush();
    return 0;
  }

  private void load(TargetJvm target, Path jar) {
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(Long.toString(pid));
    } catch (AttachNotSupportedException | IOException e) {
      throw new UserError("cannot attach to " + pid + " (" + target.command() + "): " + e.getMessage()
          + " (a JVM started with -XX:+DisableAttachMechanism, or one that does not answer)", UserError.EXIT_FAILURE);
    }
    try {
      String version = vm.getSystemProperties().getProperty("java.specification.version", "");
      if (version.startsWith("1.")) {
        throw new UserError("the JVM " + pid + " is Java " + version.substring(2) + "; the agent needs Java 11 or"
            + " later");
      }
      vm.loadAgent(jar.toString(), options);
    } catch (AgentInitializationException e) {
      throw new UserError("the agent failed to start in " + pid + ": agentmain returned " + e.returnValue(),
          UserError.EXIT_FAILURE);
    } catch (AgentLoadException | IOException e) {
      if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
        throw new UserError("the JVM " + pid + " exited while the agent was loading", UserError.EXIT_FAILURE);
      }
      throw new UserError("loading " + jar + " into " + pid + " failed: " + e.getMessage()
          + " (the JVM's stderr may say more)", UserError.EXIT_FAILURE);
    } finally {
      try {
        vm.detach();
      } catch (IOException ignored) {
        // the agent is loaded or not; detaching changes neither
      }
    }
  }
}
