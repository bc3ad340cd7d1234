package io.ipcscope.agent;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.bootstrap.IpcSink;
import io.ipcscope.agent.capture.AgentSink;
import io.ipcscope.agent.capture.AgentThread;
import io.ipcscope.agent.capture.FailEverything;
import io.ipcscope.agent.capture.OpQueue;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.export.ExportLoop;
import io.ipcscope.agent.instrument.Instrumentations;
import io.ipcscope.agent.instrument.InstrumentedTypes;
import io.ipcscope.agent.instrument.IpcInstrumentation;
import io.ipcscope.agent.transform.CacheDirectory;
import io.ipcscope.agent.transform.CachingTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running agent: sink, export thread, then the instrumentation, retransforming the JDK classes already loaded.
 * Loaded only once the bridge is in the bootstrap class loader.
 */
final class AgentRuntime {

  /** At exit, what is queued is sent; the JVM waits for that at most this long (only while there is work left). */
  private static final long SHUTDOWN_FLUSH_MILLIS = 5_000;

  private AgentRuntime() {}

  static void start(AgentConfig config, CacheDirectory.Opened cache, Instrumentation instrumentation) {
    OpQueue queue = new OpQueue(config.queueCapacity());
    boolean failEverything = FailEverything.requested();
    ExportLoop export = new ExportLoop(config, queue, System.getenv(), System.getProperties(), AgentLog::info,
        failEverything);
    AgentSink sink = new AgentSink(config, queue);
    sink.ignoreEndpoint(export.otlpEndpoint());
    export.takeFoldsFrom(sink.busyStreams());
    IpcBridge.sink = failEverything ? FailEverything.sink(sink) : sink;

    long installStart = System.nanoTime();
    AtomicInteger failures = new AtomicInteger();
    List<IpcInstrumentation> enabled = new ArrayList<>();
    for (IpcInstrumentation candidate : Instrumentations.all()) {
      if (candidate.enabledBy(config)) {
        enabled.add(candidate);
      }
    }
    CachingTransformer transformer = CachingTransformer.create(config, cache, enabled, failures);
    instrumentation.addTransformer(transformer, true);
    retransformLoaded(instrumentation, transformer.types(), failures);
    // only now: the export thread loads JDK classes (ProcessHandleImpl, ProcessBuilder...) that must not be loaded
    // while the transformer is being installed, or they escape it
    export.start();
    if (failures.get() > 0) {
      AgentLog.warn(failures.get() + " class(es) could not be instrumented; their calls are not seen"
          + (config.debug() ? "" : " (debug=true says which)"));
    }
    if (config.debug()) {
      List<String> names = new ArrayList<>();
      enabled.forEach(i -> names.add(i.getClass().getSimpleName().replace("Instrumentation", "")));
      AgentLog.info("instrumenting " + String.join(", ", names) + "; " + transformer.cacheState() + "; at start "
          + transformer.fromCache() + " class(es) from the cache, " + transformer.woven() + " woven by Byte Buddy"
          + (transformer.byteBuddyLoaded() ? "" : " (not loaded)") + ", in "
          + (System.nanoTime() - installStart) / 1_000_000 + " ms");
    }
    Runtime.getRuntime().addShutdownHook(new AgentThread(() -> {
      export.stop(SHUTDOWN_FLUSH_MILLIS);
      IpcBridge.sink = IpcSink.NONE;
      if (failEverything) {
        AgentLog.info(FailEverything.PROPERTY + ": " + FailEverything.thrown() + " sink callbacks threw");
      }
    }, "ipcscope-agent-shutdown"));
  }

  /**
   * The instrumented JDK classes the JVM has loaded already go through the transformer now. Only those: Byte Buddy's
   * own retransformation would describe every loaded class to match it. One class that cannot be retransformed must
   * not keep the others from it, so a batch that fails is retried one class at a time.
   */
  private static void retransformLoaded(Instrumentation instrumentation, InstrumentedTypes types,
      AtomicInteger failures) {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> type : instrumentation.getAllLoadedClasses()) {
      if (types.contains(type) && instrumentation.isModifiableClass(type)) {
        loaded.add(type);
      }
    }
    try {
      instrumentation.retransformClasses(loaded.toArray(new Class<?>[0]));
    } catch (Exception | LinkageError batchFailed) {
      for (Class<?> type : loaded) {
        try {
          instrumentation.retransformClasses(type);
        } catch (Exception | LinkageError failed) {
          failures.incrementAndGet();
        }
      }
    }
  }
}
