package io.ipcscope.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * One kind of object a workload's run creates that outlives the demo when it is killed with
 * SIGKILL (no cleanup runs then): a message queue, a FIFO, a temp dir. Each is named after the
 * demo's pid, and the code that names it ({@link SysvMqWorkload#key}, {@link
 * PosixMqWorkload#queueName}, {@link Run#tempDir}) also reads the pid back from the name: a
 * Leftovers only lists the host's objects of its kind and applies that reading. Which of them are
 * really left over (their demo is gone) is {@link Cleanup}'s decision.
 */
interface Leftovers {

  /** What a search may need from the host: where temp dirs go, and a mount of the mqueue fs. */
  interface Host {
    /** java.io.tmpdir of the demos to clean up after. */
    Path tmpDir();

    /** A directory where the mqueue fs is mounted (mounted on first use, unmounted when the cleanup ends). */
    Path mqueueDir() throws IOException;
  }

  /** Removes one object. */
  @FunctionalInterface
  interface Removal {
    void remove() throws IOException;
  }

  /**
   * An object whose name carries the pid of the demo that made it. {@code changed} is when it was
   * created or last changed: a process started after that cannot be the demo that made it.
   */
  record Found(String kind, String name, long demoPid, Instant changed, Removal removal) {
    /** "sysv_mq key 0x4900a1b2 (id 5)". */
    String describe() {
      return kind + " " + name;
    }
  }

  /** What this kind of object is called in messages: "sysv_mq", "posix_mq", "fifo", "temp dir". */
  String kind();

  /** Every object of this kind on the host that a demo would have made, whether its demo is alive or not. */
  List<Found> find(Host host) throws IOException;
}
