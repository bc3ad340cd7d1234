package io.ipcscope.probes.event;

import java.util.Locale;

/** What a process did on a channel. {@link #wireValue()} mirrors {@code enum ipc_op} in ipcscope.h. */
public enum Operation {
  READ(1),
  WRITE(2),
  CREATE(3),
  OPEN(4),
  SEND(5),
  GENERATE(6),
  DELIVER(7),
  FORK(8),
  EXEC(9),
  EXIT(10),
  RECEIVE(11),
  REMOVE(12),
  NOTIFY(13),
  ACQUIRE(14),
  RELEASE(15),
  WAIT(16),
  BIND(17),
  LISTEN(18),
  CONNECT(19),
  ACCEPT(20),
  ATTACH(21),
  DETACH(22),
  POST(23),
  FD_SEND(24),
  FD_RECEIVE(25),
  LINK(26);

  private static final Operation[] BY_WIRE_VALUE = new Operation[32];

  static {
    for (Operation op : values()) {
      BY_WIRE_VALUE[op.wireValue] = op;
    }
  }

  private final int wireValue;

  Operation(int wireValue) {
    this.wireValue = wireValue;
  }

  public int wireValue() {
    return wireValue;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Null for a value this version does not know. */
  public static Operation fromWire(int value) {
    return value >= 0 && value < BY_WIRE_VALUE.length ? BY_WIRE_VALUE[value] : null;
  }
}
