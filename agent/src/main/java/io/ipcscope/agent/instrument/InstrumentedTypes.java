package io.ipcscope.agent.instrument;

import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * The names of the types the agent instruments, gathered as the instrumentations match them. Every instrumentation
 * matches types by name only, so a class whose name is not here can be passed over before Byte Buddy describes it:
 * see {@link NamedTypesTransformer}.
 */
public final class InstrumentedTypes {

  /** In the JVM's internal form ({@code java/io/FileInputStream}), as the class file transformer is given them. */
  private final Set<String> internalNames = new HashSet<>();

  /** The type of this name, recorded. */
  ElementMatcher.Junction<TypeDescription> named(String binaryName) {
    internalNames.add(binaryName.replace('.', '/'));
    return ElementMatchers.named(binaryName);
  }

  public boolean contains(String internalName) {
    return internalName != null && internalNames.contains(internalName);
  }

  public boolean contains(Class<?> type) {
    return contains(type.getName().replace('.', '/'));
  }
}
