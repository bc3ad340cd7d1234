package io.ipcscope.agent.instrument;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Advice described from its class file rather than by reflection: reflecting on an advice class's methods loads
 * their parameter types, and when one of them is the very class being loaded and transformed (ProcessBuilder) the JVM
 * throws ClassCircularityError.
 */
final class Advices {

  private static final ClassFileLocator LOCATOR = ClassFileLocator.ForClassLoader.of(Advices.class.getClassLoader());
  private static final TypePool POOL = TypePool.Default.of(LOCATOR);

  private Advices() {}

  static Advice of(Class<?> advice) {
    return Advice.to(POOL.describe(advice.getName()).resolve(), LOCATOR);
  }

  /** One class's enter advice with another's exit advice: an enter shared by several exits. */
  static Advice of(Class<?> enter, Class<?> exit) {
    return Advice.to(POOL.describe(enter.getName()).resolve(), POOL.describe(exit.getName()).resolve(), LOCATOR);
  }
}
