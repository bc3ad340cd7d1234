package io.ipcscope.agent.capture;

/** The agent's own threads: whatever they do (its socket to the collector, its OTLP requests) is never reported. */
public final class AgentThread extends Thread {

  public AgentThread(Runnable body, String name) {
    super(body, name);
    setDaemon(true);
  }

  public static boolean isCurrent() {
    return Thread.currentThread() instanceof AgentThread;
  }
}
