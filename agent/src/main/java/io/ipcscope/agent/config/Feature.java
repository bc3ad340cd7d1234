package io.ipcscope.agent.config;

import java.util.Locale;

/** The groups of instrumentation the {@code mechanisms} option turns on and off. */
public enum Feature {
  /** Child processes: their start, and reads and writes on their stdin, stdout and stderr pipes. */
  PROCESS,
  /** Signals: Process.destroy and ProcessHandle.destroy, sun.misc.Signal handlers, raise and dispatch. */
  SIGNAL,
  /** Unix-domain, TCP and UDP sockets. */
  SOCKET,
  /** Mapped files and POSIX shared memory, file locks, FIFOs. */
  FILE,
  /** libc IPC calls made through JNA: mq_*, shm_open, sem_*, kill, msgsnd... */
  JNA;

  public String optionName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
