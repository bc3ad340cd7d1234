package io.ipcscope.agent.instrument;

import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.Feature;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One instrumented API: which types and methods, with which advice. Advice classes are nested, static and stateless,
 * suppress every Throwable, and only call {@link io.ipcscope.agent.bootstrap.IpcBridge}: they are inlined into JDK
 * classes that cannot see anything else.
 */
public interface IpcInstrumentation {

  /** The {@code mechanisms} option that turns it on. */
  Feature feature();

  default boolean enabledBy(AgentConfig config) {
    return config.has(feature());
  }

  /**
   * Adds this instrumentation's type matchers and transformers. Types are matched by name only, through
   * {@code types}, which keeps the list of names the transformer lets through.
   */
  AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types);
}
