package io.ipcscope.tui;

import io.ipcscope.probes.event.Mechanism;
import java.util.Locale;

/**
 * What the user narrowed every view to: the text typed after {@code /} and the family chosen with {@code m}.
 *
 * @param text matched case-insensitively as a substring of any field; labels carry the pid, so "12" finds cat[12]
 */
record RowFilter(String text, MechanismFamily family) {

  boolean includes(Mechanism m) {
    return family.includes(m);
  }

  boolean matches(String... fields) {
    if (text.isEmpty()) {
      return true;
    }
    String f = text.toLowerCase(Locale.ROOT);
    for (String field : fields) {
      if (field.toLowerCase(Locale.ROOT).contains(f)) {
        return true;
      }
    }
    return false;
  }
}
