package io.ipcscope.tui;

import io.ipcscope.probes.event.Mechanism;
import java.util.EnumSet;
import java.util.Set;

/** What {@code m} narrows every view to, one family at a time: the groups an SRE thinks in, not 13 mechanisms. */
enum MechanismFamily {
  ALL("all", EnumSet.allOf(Mechanism.class)),
  PIPES("pipes", EnumSet.of(Mechanism.PIPE, Mechanism.FIFO)),
  QUEUES("queues", EnumSet.of(Mechanism.POSIX_MQ, Mechanism.SYSV_MQ)),
  SHARED_MEMORY("shm", EnumSet.of(Mechanism.POSIX_SHM, Mechanism.SYSV_SHM)),
  SYNC("sem+locks", EnumSet.of(Mechanism.SEM, Mechanism.FILE_LOCK)),
  SIGNALS("signals", EnumSet.of(Mechanism.SIGNAL)),
  SOCKETS("sockets", EnumSet.of(Mechanism.UNIX_SOCKET, Mechanism.TCP, Mechanism.UDP));

  private final String label;
  private final Set<Mechanism> members;

  MechanismFamily(String label, Set<Mechanism> members) {
    this.label = label;
    this.members = members;
  }

  boolean includes(Mechanism m) {
    return members.contains(m);
  }

  String label() {
    return label;
  }

  MechanismFamily next() {
    MechanismFamily[] all = values();
    return all[(ordinal() + 1) % all.length];
  }
}
