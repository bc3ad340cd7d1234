package io.ipcscope.collector.model;

import io.ipcscope.probes.event.EventDecoder;
import io.ipcscope.probes.event.IpcEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Shared memory mapped from files: what each object is called (/dev/shm/NAME, memfd:NAME, a file's path) and where
 * each process has which object mapped, so that a POSIX semaphore, known to the probes only by its address, is named
 * by the object it lives in. A fork copies its parent's mappings; an exec or an exit drops them. Not thread-safe.
 */
final class SharedMappings {

  private static final int MAX_NAMES = 16_384;

  private final MappingNamer namer;
  /** Kept after the last detach (a late record still names the object), least recently used first out. */
  private final Map<ChannelKey, String> names = Lru.map(MAX_NAMES);
  private final Map<Integer, TreeMap<Long, Mapping>> byProcess = new HashMap<>();

  private record Mapping(long start, long length, ChannelKey channel) {
    boolean contains(long address) {
      return address >= start && address - start < length;
    }
  }

  SharedMappings(MappingNamer namer) {
    this.namer = namer;
  }

  /** The object {@code pid} has mapped at {@code address}, if any. */
  Optional<ChannelKey> at(int pid, long address) {
    TreeMap<Long, Mapping> of = byProcess.get(pid);
    Map.Entry<Long, Mapping> below = of == null ? null : of.floorEntry(address);
    return below != null && below.getValue().contains(address) ? Optional.of(below.getValue().channel())
        : Optional.empty();
  }

  /** An mmap of {@code channel} (an ATTACH record: address in extra, length in bytes). */
  void attached(ChannelKey channel, IpcEvent e) {
    names.put(channel, namer.name(e)); // the latest: sem_open maps a temporary name first
    byProcess.computeIfAbsent(e.pid(), k -> new TreeMap<>())
        .put(e.extra(), new Mapping(e.extra(), e.bytes(), channel));
  }

  /** A munmap; true when it was {@code pid}'s last mapping of {@code channel}. */
  boolean detached(ChannelKey channel, IpcEvent e) {
    TreeMap<Long, Mapping> of = byProcess.get(e.pid());
    if (of == null) {
      return true;
    }
    of.remove(e.extra());
    return of.values().stream().noneMatch(m -> m.channel().equals(channel));
  }

  /** The object goes by {@code name} (shm_open's path, a memfd's name). */
  void named(ChannelKey channel, String name) {
    names.put(channel, name);
  }

  /** A LINK record: the object at its old name (sem_open's temporary file) goes by the new one. */
  void renamed(IpcEvent e) {
    String[] both = linkNames(e);
    if (both.length == 2) {
      names.replaceAll((channel, name) -> name.equals(both[1]) ? both[0] : name);
    }
  }

  /** A LINK record's new and old names. */
  static String[] linkNames(IpcEvent e) {
    return e.path().split(String.valueOf(EventDecoder.LINK_SEPARATOR), 2);
  }

  void forked(int parent, int child) {
    TreeMap<Long, Mapping> of = byProcess.get(parent);
    if (of != null && child != 0) {
      byProcess.put(child, new TreeMap<>(of));
    }
  }

  /** Exec or exit: the process's mappings are gone. */
  void forget(int pid) {
    byProcess.remove(pid);
  }

  Optional<String> name(ChannelKey channel) {
    return Optional.ofNullable(names.get(channel));
  }
}
