package io.ipcscope.cli.trace;

import io.ipcscope.probes.ProbeConfig;
import io.ipcscope.probes.event.Mechanism;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code pipe,fifo,signal} to a set; an unknown name is answered with the list of valid ones. */
public final class MechanismConverter implements ITypeConverter<Set<Mechanism>> {

  /** What this version can trace; the rest of {@link Mechanism} arrives with later probes. */
  public static final Set<Mechanism> TRACEABLE = java.util.Collections.unmodifiableSet(ProbeConfig.defaultMechanisms());

  @Override
  public Set<Mechanism> convert(String value) {
    Set<Mechanism> result = EnumSet.noneOf(Mechanism.class);
    for (String name : value.split(",")) {
      if (name.isBlank()) {
        continue;
      }
      Mechanism m = Mechanism.fromId(name.replace('-', '_')) // unix-socket as the demo spells it: fine too
          .filter(TRACEABLE::contains)
          .orElseThrow(() -> new TypeConversionException(
              "unknown mechanism '" + name.trim() + "': valid ones are " + valid()));
      result.add(m);
    }
    if (result.isEmpty()) {
      throw new TypeConversionException("no mechanism named: valid ones are " + valid());
    }
    return result;
  }

  static String valid() {
    return String.join(", ", TRACEABLE.stream().map(Mechanism::id).toList());
  }
}
