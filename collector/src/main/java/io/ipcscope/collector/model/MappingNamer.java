package io.ipcscope.collector.model;

import io.ipcscope.probes.event.IpcEvent;

/**
 * Names the object a shared mapping maps, as users know it. The kernel record of an mmap carries only the file's own
 * name (its dentry): a memfd's is already what /proc shows ({@code memfd:NAME}), but a file's full path takes a look
 * at the mapping in /proc, which a model without I/O leaves to the caller.
 */
@FunctionalInterface
public interface MappingNamer {

  /** Only what the record says: {@code memfd:NAME}, or the file's own name. */
  MappingNamer FROM_RECORD = attach -> withoutDeleted(attach.path());

  /** The name of the object mapped by {@code attach} (an ATTACH record of a POSIX_SHM mapping). */
  String name(IpcEvent attach);

  /** /proc says " (deleted)" after the name of an unlinked file (every memfd): not part of the name. */
  static String withoutDeleted(String name) {
    return name.endsWith(" (deleted)") ? name.substring(0, name.length() - " (deleted)".length()) : name;
  }
}
