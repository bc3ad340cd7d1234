package io.ipcscope.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;

/**
 * Byte Buddy's transformer behind a test of the class's name. Byte Buddy describes every class it is offered before
 * its matchers run: parsing the class file of each of the application's classes as it loads, and of the JVM's
 * ~1,500 classes already loaded when the agent starts. That was most of the agent's start-up. The agent's matchers
 * ask for a handful of names, so a hash lookup on the name passes over everything else untouched.
 */
public final class NamedTypesTransformer implements ClassFileTransformer {

  private final ClassFileTransformer byteBuddy;
  private final InstrumentedTypes types;

  public NamedTypesTransformer(ClassFileTransformer byteBuddy, InstrumentedTypes types) {
    this.byteBuddy = byteBuddy;
    this.types = types;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain domain, byte[] classFile) throws IllegalClassFormatException {
    if (!types.contains(className)) {
      return null;
    }
    return byteBuddy.transform(module, loader, className, classBeingRedefined, domain, classFile);
  }
}
