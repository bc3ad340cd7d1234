package io.ipcscope.agent;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.ipcscope.agent.bootstrap.IpcBridge;
import io.ipcscope.agent.bootstrap.IpcSink;
import io.ipcscope.agent.capture.AgentSink;
import io.ipcscope.agent.capture.AgentThread;
import io.ipcscope.agent.capture.OpQueue;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.export.ExportLoop;
import io.ipcscope.agent.instrument.Instrumentations;
import io.ipcscope.agent.instrument.IpcInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.JavaModule;

/**
 * The running agent: sink, export thread, then the instrumentation, retransforming the JDK classes already loaded.
 * Loaded only once the bridge is in the bootstrap class loader.
 */
final class AgentRuntime {

  private static final long SHUTDOWN_FLUSH_MILLIS = 2_000;

  private AgentRuntime() {}

  static void start(AgentConfig config, Instrumentation instrumentation) {

    OpQueue queue = new OpQueue(config.queueCapacity());
    ExportLoop export = new ExportLoop(config, queue, System.getenv(), System.getProperties(), AgentLog::info);
    IpcBridge.sink = new AgentSink(config, queue);

    // Byte Buddy otherwise reaches for sun.misc.Unsafe, which JDK 24+ warns about on the application's stderr; the
    // agent injects no classes, so it needs none of that (the name is relocated with Byte Buddy: it is ours alone)
    System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
    // nor the Nexus, which only the initialization strategies that inject use (ours is NoOp): making its accessor at
    // class initialization took a tenth of the agent's start-up CPU (docs/PERFORMANCE.md, "The Java agent")
    System.setProperty(Nexus.PROPERTY, "true");
    AtomicInteger failures = new AtomicInteger();
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        // described from class files: describing a loaded class by reflection loads the types its methods mention,
        // inside the transformer, and those (ProcessBuilder...) would then escape instrumentation
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
        // the default ignores the bootstrap class loader, which is where everything instrumented here lives
        .ignore(nameStartsWith("io.ipcscope.agent.").or(nameStartsWith("net.bytebuddy.")).or(isSynthetic()))
        .with(new FailureCounter(failures, config.debug()));
    List<String> names = new ArrayList<>();
    for (IpcInstrumentation candidate : Instrumentations.all()) {
      if (candidate.enabledBy(config)) {
        builder = candidate.extend(builder);
        names.add(candidate.getClass().getSimpleName().replace("Instrumentation", ""));
      }
    }
    builder.installOn(instrumentation);
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
    }, "ipcscope-agent-shutdown"));
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
