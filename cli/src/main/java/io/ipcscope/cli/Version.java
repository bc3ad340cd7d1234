package io.ipcscope.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "dev" when run from classes. */
public final class Version implements IVersionProvider {

  @Override
  public String[] getVersion() {
    String v = Ipcscope.class.getPackage().getImplementationVersion();
    return new String[] {"ipcscope " + (v == null ? "dev" : v)};
  }
}
