package io.ipcscope.probes;

import io.ipcscope.probes.event.Mechanism;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** A probe object file and the mechanisms it serves. Package-private: tests can supply their own. */
record ProbeObject(String file, Set<Mechanism> serves, Supplier<byte[]> elf, boolean libcUprobes) {

  static final String RESOURCE_DIR = "/io/ipcscope/probes/bpf/";

  static final List<ProbeObject> ALL = List.of(
      resource("process.bpf.o", EnumSet.of(Mechanism.PROCESS)),
      // the one sys_exit program: pipes, FIFOs, message queues, Unix sockets, shared memory, System V semaphores, and
      // signal sends that generated nothing
      resource("syscalls.bpf.o", EnumSet.of(Mechanism.PIPE, Mechanism.FIFO, Mechanism.SIGNAL, Mechanism.POSIX_MQ,
          Mechanism.SYSV_MQ, Mechanism.UNIX_SOCKET, Mechanism.TCP, Mechanism.UDP, Mechanism.POSIX_SHM,
          Mechanism.SYSV_SHM, Mechanism.SEM)),
      resource("signal.bpf.o", EnumSet.of(Mechanism.SIGNAL)),
      resource("file_lock.bpf.o", EnumSet.of(Mechanism.FILE_LOCK)),
      // uprobes on libc's sem_post and sem_*wait: POSIX semaphores make no syscall when uncontended
      libcUprobes("sem.bpf.o", EnumSet.of(Mechanism.SEM)),
      resource("bench.bpf.o", EnumSet.of(Mechanism.BENCH)));

  /** The first mechanism it serves, for reports. */
  Mechanism mechanism() {
    return serves.stream().min(Enum::compareTo).orElse(Mechanism.PROCESS);
  }

  static ProbeObject resource(String file, Set<Mechanism> serves) {
    return new ProbeObject(file, Set.copyOf(serves), () -> read(ProbeObject.class, RESOURCE_DIR + file), false);
  }

  /** An object of uprobes on libc: loaded only when the config asks for them ({@link ProbeConfig#libcUprobes()}). */
  static ProbeObject libcUprobes(String file, Set<Mechanism> serves) {
    return new ProbeObject(file, Set.copyOf(serves), () -> read(ProbeObject.class, RESOURCE_DIR + file), true);
  }

  /** The objects a config needs, process.bpf.o first. */
  static List<ProbeObject> forConfig(ProbeConfig config) {
    List<ProbeObject> out = new ArrayList<>();
    for (ProbeObject o : ALL) {
      if (o.libcUprobes && !config.libcUprobes()) {
        continue;
      }
      if (o.serves.contains(Mechanism.PROCESS) || o.serves.stream().anyMatch(config.mechanisms()::contains)) {
        out.add(o);
      }
    }
    return out;
  }

  /** The resource's bytes, or null when it is not on the class path. */
  static byte[] read(Class<?> anchor, String resource) {
    try (InputStream in = anchor.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(resource, e);
    }
  }
}
