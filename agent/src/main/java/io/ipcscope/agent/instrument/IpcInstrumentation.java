package io.ipcscope.agent.instrument;

import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.Feature;
import java.util.List;
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
   * The binary names of the types it transforms. Known without Byte Buddy: a start whose classes all come from the
   * cache never loads it.
   */
  List<String> typeNames();

  /**
   * Adds this instrumentation's type matchers and transformers. Types are matched by name only, one of
   * {@link #typeNames()}, through {@code types}.
   */
  AgentBuilder extend(AgentBuilder builder, InstrumentedTypes types);
}
