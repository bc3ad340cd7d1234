package io.ipcscope.agent;

import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.transform.CacheDirectory;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.Optional;

/**
 * Reads the options, opens the cache directory and puts the bridge in the bootstrap class loader, then hands over to
 * {@link AgentRuntime}. Must not mention the bridge classes itself: verifying a class that assigns to
 * {@code IpcBridge.sink} loads {@code IpcSink}, and loaded before the injection it would land in the application
 * class loader, for good.
 */
final class AgentInstaller {

  private AgentInstaller() {}

  /** @return whether the agent is now running */
  static boolean install(String arguments, Instrumentation instrumentation) throws Exception {
    AgentConfig config = AgentConfig.load(arguments, System.getProperties(), System.getenv());
    config.problems().forEach(AgentLog::warn);
    if (!config.enabled()) {
      AgentLog.info("off (enabled=false)");
      return false;
    }
    Path agentJar = agentJar();
    CacheDirectory.Opened cache = CacheDirectory.open(config, System.getenv(), agentJar);
    String bridge = BootstrapBridge.inject(instrumentation, agentJar, cache.directory());
    if (config.debug()) {
      AgentLog.info("bridge " + bridge + " in the bootstrap class loader");
    }
    BootstrapBridge.open(instrumentation, Object.class.getModule(), "java.io", "java.lang", "java.net", "java.nio",
        "sun.nio.ch");
    // sun.misc.Signal's advice calls the bridge from jdk.unsupported (absent from a runtime jlink'ed without it)
    Optional<Module> unsupported = ModuleLayer.boot().findModule("jdk.unsupported");
    if (unsupported.isPresent()) {
      BootstrapBridge.open(instrumentation, unsupported.get());
    }
    AgentRuntime.start(config, cache, instrumentation);
    return true;
  }

  /** The jar the agent runs from, or null (a classes directory, in the agent's own tests). */
  private static Path agentJar() {
    try {
      CodeSource source = AgentInstaller.class.getProtectionDomain().getCodeSource();
      Path path = source == null ? null : Paths.get(source.getLocation().toURI());
      return path != null && Files.isRegularFile(path) ? path : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
