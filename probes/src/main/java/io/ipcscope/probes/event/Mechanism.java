package io.ipcscope.probes.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** An IPC mechanism. {@link #wireValue()} mirrors {@code enum ipc_mechanism} in ipcscope.h. */
public enum Mechanism {
  PROCESS(1),
  PIPE(2),
  FIFO(3),
  SIGNAL(4),
  POSIX_MQ(5),
  SYSV_MQ(6),
  POSIX_SHM(7),
  SYSV_SHM(8),
  SEM(9),
  UNIX_SOCKET(10),
  TCP(11),
  UDP(12),
  FILE_LOCK(13),
  BENCH(63);

  private static final Mechanism[] BY_WIRE_VALUE = new Mechanism[64];

  static {
    for (Mechanism m : values()) {
      BY_WIRE_VALUE[m.wireValue] = m;
    }
  }

  private final int wireValue;

  Mechanism(int wireValue) {
    this.wireValue = wireValue;
  }

  public int wireValue() {
    return wireValue;
  }

  /** The bit of this mechanism in {@code ipcscope_config.mechanism_mask}. */
  public long maskBit() {
    return 1L << wireValue;
  }

  /** The name users type and JSON carries: {@code pipe}, {@code posix_mq}... */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Null for a value this version does not know (a newer probe object). */
  public static Mechanism fromWire(int value) {
    return value >= 0 && value < BY_WIRE_VALUE.length ? BY_WIRE_VALUE[value] : null;
  }

  public static Optional<Mechanism> fromId(String id) {
    return Arrays.stream(values()).filter(m -> m.id().equals(id.trim().toLowerCase(Locale.ROOT))).findFirst();
  }

  /** The ids users may pass on the command line (BENCH is internal). */
  public static String validIds() {
    return Arrays.stream(values()).filter(m -> m != BENCH).map(Mechanism::id).collect(Collectors.joining(", "));
  }
}
