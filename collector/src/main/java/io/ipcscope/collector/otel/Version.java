package io.ipcscope.collector.otel;

/** ipcscope's version, from the jar's manifest when there is one. */
final class Version {

  static final String VALUE = version();

  private Version() {}

  private static String version() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
