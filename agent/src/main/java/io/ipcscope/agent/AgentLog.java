package io.ipcscope.agent;

/**
 * The agent's few messages, one line each on stderr with a recognisable prefix. Not java.util.logging: initialising
 * the LogManager from premain would fix it before the application can choose its own (JBoss, Log4j's manager).
 */
public final class AgentLog {

  private static final String PREFIX = "ipcscope agent: ";

  private AgentLog() {}

  public static void info(String message) {
    System.err.println(PREFIX + message);
  }

  public static void warn(String message) {
    System.err.println(PREFIX + message);
  }
}
