package io.ipcscope.agent.instrument;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * The names of the types the agent instruments, as the enabled instrumentations declare them. Every instrumentation
 * matches types by name only, so a class whose name is not here is passed over before anything describes it.
 */
public final class InstrumentedTypes {

  /** In the JVM's internal form ({@code java/io/FileInputStream}), as class file transformers are given them. */
  private final Set<String> internalNames = new HashSet<>();

  public InstrumentedTypes(Collection<IpcInstrumentation> instrumentations) {
    for (IpcInstrumentation instrumentation : instrumentations) {
      for (String name : instrumentation.typeNames()) {
        internalNames.add(name.replace('.', '/'));
      }
    }
  }

  /** The type of this name, which its instrumentation must have declared. */
  ElementMatcher.Junction<TypeDescription> named(String binaryName) {
    if (!internalNames.contains(binaryName.replace('.', '/'))) {
      throw new IllegalStateException(binaryName + " is matched but not among the instrumentation's typeNames()");
    }
    return ElementMatchers.named(binaryName);
  }

  public boolean contains(String internalName) {
    return internalName != null && internalNames.contains(internalName);
  }

  public boolean contains(Class<?> type) {
    return contains(type.getName().replace('.', '/'));
  }
}
