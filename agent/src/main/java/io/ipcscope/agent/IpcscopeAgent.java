package io.ipcscope.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent:ipcscope-agent.jar[=options]} at startup, or {@code ipcscope attach
 * PID} into a running JVM. Nothing here may break the application: any failure turns the agent off with one line on
 * stderr, and the application goes on untouched.
 *
 * <p>This class only references JDK classes and {@link AgentInstaller}: the bridge classes must be put in the
 * bootstrap class loader before anything of ours that mentions them is loaded.
 */
public final class IpcscopeAgent {

  private static boolean started;

  private IpcscopeAgent() {}

  public static void premain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation);
  }

  public static void agentmain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation);
  }

  private static synchronized void start(String arguments, Instrumentation instrumentation) {
    if (started) {
      AgentLog.warn("already running in this JVM; the second start is ignored");
      return;
    }
    try {
      started = AgentInstaller.install(arguments, instrumentation);
    } catch (Throwable t) {
      AgentLog.warn("not started, the application runs without it: " + t);
    }
  }
}
