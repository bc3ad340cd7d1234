package io.ipcscope.probes;

import static java.util.Objects.requireNonNull;

import io.ipcscope.probes.event.Mechanism;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a {@link ProbeSession} traces and how. Build with {@link #builder()}.
 *
 * @param mechanisms traced mechanisms; PROCESS is always added (process lifecycle names the others)
 * @param filterPid 0: every process; else only this thread-group id
 * @param filterComm "": every command; else only this command name (at most 15 bytes)
 * @param aggregate count in the kernel ({@link ProbeSession#aggregates()}) instead of one event per operation
 * @param ringBytes ring buffer size: a power of two, at least one page
 * @param wakeupBytes wake the consumer only when this much data waits (0: on every record)
 * @param tracerPid never traced (the tracer itself)
 * @param closeOnShutdown close the session from a JVM shutdown hook; an owner that drains the last events itself on
 *     SIGTERM turns this off (the kernel detaches the links when the process ends either way)
 * @param libcUprobes also attach the uprobes on libc (POSIX semaphores: sem.bpf.o) when SEM is traced. Off by
 *     default: a uprobe costs every call of the function in every process several microseconds here, CPython's GIL
 *     handoffs included, so it is the user's choice
 */
public record ProbeConfig(
    Set<Mechanism> mechanisms,
    int filterPid,
    String filterComm,
    boolean aggregate,
    int ringBytes,
    int wakeupBytes,
    int tracerPid,
    boolean closeOnShutdown,
    boolean libcUprobes) {

  public static final int DEFAULT_RING_BYTES = 8 << 20;

  public ProbeConfig {
    requireNonNull(mechanisms, "mechanisms");
    requireNonNull(filterComm, "filterComm");
    EnumSet<Mechanism> m = EnumSet.of(Mechanism.PROCESS);
    m.addAll(mechanisms);
    mechanisms = Set.copyOf(m);
    if (ringBytes < 4096 || Integer.bitCount(ringBytes) != 1) {
      throw new IllegalArgumentException("ringBytes must be a power of two >= 4096: " + ringBytes);
    }
    if (wakeupBytes < 0 || wakeupBytes > ringBytes) {
      throw new IllegalArgumentException("wakeupBytes must be in [0, ringBytes]: " + wakeupBytes);
    }
    if (filterComm.getBytes(StandardCharsets.UTF_8).length > 15) {
      throw new IllegalArgumentException("filterComm longer than 15 bytes: " + filterComm);
    }
    if (filterPid < 0) {
      throw new IllegalArgumentException("filterPid < 0: " + filterPid);
    }
  }

  /** Every mechanism the committed probes serve today. */
  public static Set<Mechanism> defaultMechanisms() {
    return EnumSet.of(Mechanism.PROCESS, Mechanism.PIPE, Mechanism.FIFO, Mechanism.SIGNAL, Mechanism.POSIX_MQ,
        Mechanism.SYSV_MQ, Mechanism.UNIX_SOCKET, Mechanism.TCP, Mechanism.UDP, Mechanism.POSIX_SHM,
        Mechanism.SYSV_SHM, Mechanism.SEM,
        Mechanism.FILE_LOCK);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The {@code mechanism_mask} written into the probes' config. */
  public long mechanismMask() {
    long mask = 0;
    for (Mechanism m : mechanisms) {
      mask |= m.maskBit();
    }
    return mask;
  }

  public static final class Builder {
    private Set<Mechanism> mechanisms = defaultMechanisms();
    private int filterPid;
    private String filterComm = "";
    private boolean aggregate;
    private int ringBytes = DEFAULT_RING_BYTES;
    private int wakeupBytes = -1;
    private int tracerPid = (int) ProcessHandle.current().pid();
    private boolean closeOnShutdown = true;
    private boolean libcUprobes;

    private Builder() {}

    public Builder mechanisms(Set<Mechanism> mechanisms) {
      this.mechanisms = EnumSet.copyOf(requireNonNull(mechanisms, "mechanisms").isEmpty()
          ? EnumSet.of(Mechanism.PROCESS) : mechanisms);
      return this;
    }

    public Builder filterPid(int filterPid) {
      this.filterPid = filterPid;
      return this;
    }

    public Builder filterComm(String filterComm) {
      this.filterComm = requireNonNull(filterComm, "filterComm");
      return this;
    }

    public Builder aggregate(boolean aggregate) {
      this.aggregate = aggregate;
      return this;
    }

    public Builder ringBytes(int ringBytes) {
      this.ringBytes = ringBytes;
      return this;
    }

    /** Default: a quarter of the ring. */
    public Builder wakeupBytes(int wakeupBytes) {
      this.wakeupBytes = wakeupBytes;
      return this;
    }

    public Builder tracerPid(int tracerPid) {
      this.tracerPid = tracerPid;
      return this;
    }

    /** Default true; false for an owner whose own shutdown hook drains the ring and then closes the session. */
    public Builder closeOnShutdown(boolean closeOnShutdown) {
      this.closeOnShutdown = closeOnShutdown;
      return this;
    }

    /** Default false: see {@link ProbeConfig#libcUprobes()}. */
    public Builder libcUprobes(boolean libcUprobes) {
      this.libcUprobes = libcUprobes;
      return this;
    }

    public ProbeConfig build() {
      return new ProbeConfig(mechanisms, filterPid, filterComm, aggregate, ringBytes,
          wakeupBytes < 0 ? ringBytes / 4 : wakeupBytes, tracerPid, closeOnShutdown, libcUprobes);
    }
  }
}
