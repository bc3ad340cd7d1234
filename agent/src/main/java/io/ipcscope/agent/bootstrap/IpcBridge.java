package io.ipcscope.agent.bootstrap;

/**
 * The one class advice calls. Advice is inlined into JDK classes, which see only the bootstrap class loader, so this
 * class and {@link IpcSink} are put there before anything is instrumented; the agent, loaded elsewhere, installs its
 * sink here. Until then, and after {@code enabled=false}, every call lands in a sink that does nothing.
 */
public final class IpcBridge {

  /** Read on every instrumented call: a volatile read, nothing more, when the agent is idle. */
  public static volatile IpcSink sink = IpcSink.NONE;

  private IpcBridge() {}
}
