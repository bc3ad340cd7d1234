package io.ipcscope.agent.export;

/** The agent's version, from its jar's manifest ("dev" when run from classes). */
public final class AgentVersion {

  public static final String VALUE = read();

  private AgentVersion() {}

  private static String read() {
    String v = AgentVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
