package io.ipcscope.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "dev" when run from classes. */
public final class Version implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {"ipcscope " + number()};
  }

  /** "0.1.0", or "dev" when run from classes. */
  public static String number() {
    String v = Ipcscope.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
