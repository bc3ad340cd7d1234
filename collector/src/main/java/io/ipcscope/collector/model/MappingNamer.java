package io.ipcscope.collector.model;

import io.ipcscope.probes.event.IpcEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Names the object a shared mapping maps, as users know it. The kernel record of an mmap carries the file's path
 * within its filesystem, leaf first ({@code name/dir/top}): a memfd's is already what /proc shows
 * ({@code memfd:NAME}), but a full path needs the filesystem's mount point, which a model without I/O leaves to the
 * caller.
 */
@FunctionalInterface
public interface MappingNamer {

  /** Only what the record says: {@code memfd:NAME}, or the file's path within its filesystem. */
  MappingNamer FROM_RECORD = attach -> {
    List<String> names = names(attach);
    return names.size() == 1 && names.get(0).startsWith("memfd:") ? names.get(0) : "/" + String.join("/", names);
  };

  /** The name of the object mapped by {@code attach} (an ATTACH record of a POSIX_SHM mapping). */
  String name(IpcEvent attach);

  /** The path's names from the filesystem's root down to the file. */
  static List<String> names(IpcEvent attach) {
    List<String> names = new ArrayList<>();
    for (String name : attach.path().split("/")) {
      if (!name.isEmpty()) {
        names.add(withoutDeleted(name));
      }
    }
    Collections.reverse(names);
    return names;
  }

  /** /proc says " (deleted)" after the name of an unlinked file (every memfd): not part of the name. */
  static String withoutDeleted(String name) {
    return name.endsWith(" (deleted)") ? name.substring(0, name.length() - " (deleted)".length()) : name;
  }
}
