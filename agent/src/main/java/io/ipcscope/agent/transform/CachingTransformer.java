package io.ipcscope.agent.transform;

import io.ipcscope.agent.AgentLog;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.instrument.InstrumentedTypes;
import io.ipcscope.agent.instrument.IpcInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's class file transformer. A class whose name is not instrumented is passed over at the cost of a hash
 * lookup: Byte Buddy would describe every class offered to it before matching, parsing the class file of each class
 * the application loads. An instrumented class comes from the {@link TransformCache} when it holds that class (for a
 * JDK class, by name; for another loader's, by name and checksum), and from Byte Buddy otherwise, which then fills
 * the cache for the next JVM.
 */
public final class CachingTransformer implements ClassFileTransformer {

  private final InstrumentedTypes types;
  private final TransformCache cache;
  private final ByteBuddyTransformer byteBuddy;
  private final String cacheState;
  private final boolean debug;
  private final AtomicInteger fromCache = new AtomicInteger();
  private final AtomicInteger woven = new AtomicInteger();

  CachingTransformer(InstrumentedTypes types, TransformCache cache, ByteBuddyTransformer byteBuddy,
      String cacheState, boolean debug) {
    this.types = types;
    this.cache = cache;
    this.byteBuddy = byteBuddy;
    this.cacheState = cacheState;
    this.debug = debug;
  }

  /**
   * @param instrumentations the enabled ones
   * @param failures counts the classes that could not be instrumented
   */
  public static CachingTransformer create(AgentConfig config, CacheDirectory.Opened cache,
      List<IpcInstrumentation> instrumentations, AtomicInteger failures) {
    InstrumentedTypes types = new InstrumentedTypes(instrumentations);
    ByteBuddyTransformer byteBuddy = new ByteBuddyTransformer(instrumentations, types, failures, config.debug());
    if (cache.cache == null || cache.cache.isEmpty()) {
      // it will be needed at once: built now, before the transformer is installed, not inside it, where each class
      // Byte Buddy's start loads would go through the transformer
      byteBuddy.build();
    }
    return new CachingTransformer(types, cache.cache, byteBuddy, cache.describe(), config.debug());
  }

  public InstrumentedTypes types() {
    return types;
  }

  /** Where the cache is, or why there is none: for the debug line. */
  public String cacheState() {
    return cacheState;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain domain, byte[] classFile) {
    if (!types.contains(className)) {
      return null;
    }
    try {
      if (cache != null) {
        byte[] cached = cache.find(className, loader == null, classFile);
        if (cached != null) {
          fromCache.incrementAndGet();
          if (debug) {
            AgentLog.info("instrumented " + className.replace('/', '.') + " (from the cache)");
          }
          return cached;
        }
      }
      byte[] made = byteBuddy.transform(module, loader, className, classBeingRedefined, domain, classFile);
      if (made != null) {
        woven.incrementAndGet();
        if (cache != null) {
          cache.store(className, loader == null, classFile, made);
        }
      }
      return made;
    } catch (Throwable t) {
      // the class loads as it is: its calls go unseen, the application does not notice
      return null;
    }
  }

  /** Classes taken from the cache so far. */
  public int fromCache() {
    return fromCache.get();
  }

  /** Classes Byte Buddy wove so far. */
  public int woven() {
    return woven.get();
  }

  public boolean byteBuddyLoaded() {
    return byteBuddy.isBuilt();
  }
}
