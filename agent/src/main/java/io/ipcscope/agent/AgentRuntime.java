package io.ipcscope.agent;

import static net.bytebuddy.matcher.ElementMatchers.none;

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
import io.ipcscope.agent.instrument.NamedTypesTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.utility.JavaModule;

/**
 * The running agent: sink, export thread, then the instrumentation, retransforming the JDK classes already loaded.
 * Loaded only once the bridge is in the bootstrap class loader.
 */
final class AgentRuntime {

  /** At exit, what is queued is sent; the JVM waits for that at most this long (only while there is work left). */
  private static final long SHUTDOWN_FLUSH_MILLIS = 5_000;

  private AgentRuntime() {}

  static void start(AgentConfig config, Instrumentation instrumentation) {
    OpQueue queue = new OpQueue(config.queueCapacity());
    boolean failEverything = FailEverything.requested();
    ExportLoop export = new ExportLoop(config, queue, System.getenv(), System.getProperties(), AgentLog::info,
        failEverything);
    AgentSink sink = new AgentSink(config, queue);
    sink.ignoreEndpoint(export.otlpEndpoint());
    IpcBridge.sink = failEverything ? FailEverything.sink(sink) : sink;

    leaveByteBuddysInjectionAlone();
    AtomicInteger failures = new AtomicInteger();
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        // described from class files: describing a loaded class by reflection loads the types its methods mention,
        // inside the transformer, and those (ProcessBuilder...) would then escape instrumentation
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
        // the default ignores the bootstrap class loader, which is where everything instrumented here lives; what is
        // not instrumented never reaches Byte Buddy (NamedTypesTransformer)
        .ignore(none())
        .with(new FailureCounter(failures, config.debug()));
    List<String> names = new ArrayList<>();
    InstrumentedTypes types = new InstrumentedTypes();
    for (IpcInstrumentation candidate : Instrumentations.all()) {
      if (candidate.enabledBy(config)) {
        builder = candidate.extend(builder, types);
        names.add(candidate.getClass().getSimpleName().replace("Instrumentation", ""));
      }
    }
    instrumentation.addTransformer(new NamedTypesTransformer(builder.makeRaw(), types), true);
    retransformLoaded(instrumentation, types, failures);
    // only now: the export thread loads JDK classes (ProcessHandleImpl, ProcessBuilder...) that must not be loaded
    // while the transformer is being installed, or they escape it
    export.start();
    if (failures.get() > 0) {
      AgentLog.warn(failures.get() + " class(es) could not be instrumented; their calls are not seen"
          + (config.debug() ? "" : " (debug=true says which)"));
    }
    if (config.debug()) {
      AgentLog.info("instrumenting " + String.join(", ", names));
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

  /**
   * Byte Buddy's class injectors reach for sun.misc.Unsafe as they initialise, which JDK 24 and later report in
   * WARNING lines on the application's stderr. The agent injects no class (advice is inlined, the bridge is appended
   * to the bootstrap search path), so our copy of Byte Buddy is told to leave Unsafe alone: the property of our
   * relocated copy, which no other Byte Buddy in the JVM reads. Nor is the Nexus needed, which only the
   * initialization strategies that inject use (ours is NoOp): making its accessor at class initialization took a
   * tenth of the agent's start-up CPU (docs/PERFORMANCE.md, "The Java agent").
   */
  private static void leaveByteBuddysInjectionAlone() {
    String safe = ByteBuddy.class.getPackageName() + ".safe";
    if (System.getProperty(safe) == null) {
      System.setProperty(safe, "true");
    }
    System.setProperty(Nexus.PROPERTY, "true");
  }

  /** Byte Buddy reports a class it could not transform here; the application must not notice. */
  private static final class FailureCounter extends AgentBuilder.Listener.Adapter {
    private final AtomicInteger failures;
    private final boolean debug;

    FailureCounter(AtomicInteger failures, boolean debug) {
      this.failures = failures;
      this.debug = debug;
    }

    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      failures.incrementAndGet();
      if (debug) {
        AgentLog.warn("instrumenting " + typeName + " failed: " + error);
      }
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      if (debug) {
        AgentLog.info("instrumented " + type.getName());
      }
    }
  }
}
