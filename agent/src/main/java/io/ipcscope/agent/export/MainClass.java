package io.ipcscope.agent.export;

/** A name for this JVM when nobody gave one: its main class or jar, as {@code jps} shows it. */
final class MainClass {

  private MainClass() {}

  static String name() {
    String command = System.getProperty("sun.java.command", "");
    String first = command.split(" ", 2)[0];
    if (first.isEmpty()) {
      return "java";
    }
    if (first.endsWith(".jar")) {
      int slash = first.lastIndexOf('/');
      return first.substring(slash + 1, first.length() - 4);
    }
    return first.substring(first.lastIndexOf('.') + 1);
  }
}
