package io.ipcscope.agent.transform;

import static net.bytebuddy.matcher.ElementMatchers.none;

import io.ipcscope.agent.AgentLog;
import io.ipcscope.agent.instrument.InstrumentedTypes;
import io.ipcscope.agent.instrument.IpcInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.utility.JavaModule;

/**
 * The instrumentations' advice, woven by Byte Buddy. Built on the first class that needs it: loading and initialising
 * Byte Buddy is about a second of CPU, which a start whose classes all come from the {@link TransformCache} never
 * spends.
 */
final class ByteBuddyTransformer {

  /** Transforms nothing (the default methods return null). */
  private static final ClassFileTransformer NOTHING = new ClassFileTransformer() {};

  private final List<IpcInstrumentation> instrumentations;
  private final InstrumentedTypes types;
  private final AtomicInteger failures;
  private final boolean debug;

  private ClassFileTransformer built;
  private boolean building;

  ByteBuddyTransformer(List<IpcInstrumentation> instrumentations, InstrumentedTypes types, AtomicInteger failures,
      boolean debug) {
    this.instrumentations = instrumentations;
    this.types = types;
    this.failures = failures;
    this.debug = debug;
  }

  /** The woven class file, or null when Byte Buddy failed (counted) or is itself being built on this thread. */
  byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain domain, byte[] classFile) throws Exception {
    return transformer(className).transform(module, loader, className, classBeingRedefined, domain, classFile);
  }

  boolean isBuilt() {
    synchronized (this) {
      return built != null;
    }
  }

  /** Builds it now, if not yet. */
  synchronized void build() {
    transformer("(none)");
  }

  private synchronized ClassFileTransformer transformer(String className) {
    if (built == null) {
      if (building) {
        // Byte Buddy's own initialisation loaded an instrumented class: that one load goes without
        failures.incrementAndGet();
        if (debug) {
          AgentLog.warn("instrumenting " + className + " failed: loaded while Byte Buddy was starting");
        }
        return NOTHING;
      }
      building = true;
      try {
        built = make();
      } finally {
        building = false;
      }
    }
    return built;
  }

  private ClassFileTransformer make() {
    leaveByteBuddysInjectionAlone();
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
        // described from class files: describing a loaded class by reflection loads the types its methods mention,
        // inside the transformer, and those (ProcessBuilder...) would then escape instrumentation
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
        // the default ignores the bootstrap class loader, which is where everything instrumented here lives; what is
        // not instrumented never gets this far (CachingTransformer)
        .ignore(none())
        .with(new FailureCounter(failures, debug));
    for (IpcInstrumentation instrumentation : instrumentations) {
      builder = instrumentation.extend(builder, types);
    }
    return builder.makeRaw();
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
