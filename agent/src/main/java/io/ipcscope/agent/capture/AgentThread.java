package io.ipcscope.agent.capture;

import io.ipcscope.agent.AgentLog;

/** The agent's own threads: whatever they do (its socket to the collector, its OTLP requests) is never reported. */
public final class AgentThread extends Thread {

  public AgentThread(Runnable body, String name) {
    super(body, name);
    setDaemon(true);
    // the application's default handler (which may log loudly, or exit) never hears of the agent's failures
    setUncaughtExceptionHandler((thread, e) -> AgentLog.warn(thread.getName() + " stopped: " + e));
  }

  public static boolean isCurrent() {
    return Thread.currentThread() instanceof AgentThread;
  }
}
