package io.ipcscope.probes.event;

/**
 * Byte offsets and sizes of the structs in ipcscope.h, the one place Java knows them. EventLayoutBtfTest checks every
 * constant here against the BTF of the compiled probe objects, so a C change that moves a field fails the build.
 */
public final class EventLayout {
  private EventLayout() {}

  // struct ipc_event
  public static final int EVENT_SIZE = 104;
  public static final int TS_NS = 0;
  public static final int START_NS = 8;
  public static final int CHANNEL_ID = 16;
  public static final int BYTES = 24;
  public static final int EXTRA = 32;
  public static final int PID = 40;
  public static final int TID = 44;
  public static final int PEER_PID = 48;
  public static final int PEER_TID = 52;
  public static final int CHANNEL_DEV = 56;
  public static final int RESULT = 60;
  public static final int FD = 64;
  public static final int AUX = 68;
  public static final int CODE = 72;
  public static final int MECHANISM = 76;
  public static final int OP = 78;
  public static final int STATUS = 79;
  public static final int COMM = 80;
  public static final int COMM_LEN = 16;
  public static final int SYSCALL_NR = 96;

  // struct ipc_event_path
  public static final int PATH_EVENT_SIZE = 360;
  public static final int PATH_EVENT = 0;
  public static final int PATH = 104;
  public static final int PATH_LEN = 256;

  // struct ipcscope_config (the .rodata variable cfg, at offset CFG_OFFSET)
  public static final int CFG_OFFSET = 0;
  public static final int CFG_SIZE = 48;
  public static final int CFG_TRACER_TGID = 0;
  public static final int CFG_FILTER_TGID = 4;
  public static final int CFG_MECHANISM_MASK = 8;
  public static final int CFG_AGGREGATE = 16;
  public static final int CFG_WAKEUP_BYTES = 20;
  public static final int CFG_FILTER_COMM = 24;
  public static final int CFG_FILTER_COMM_LEN = 16;
  public static final int CFG_SHM_DEV = 40;

  // struct agg_key
  public static final int AGG_KEY_SIZE = 40;
  public static final int AK_START_NS = 0;
  public static final int AK_CHANNEL_ID = 8;
  public static final int AK_PID = 16;
  public static final int AK_CHANNEL_DEV = 20;
  public static final int AK_PEER_PID = 24;
  public static final int AK_MECHANISM = 28;
  public static final int AK_OP = 30;
  public static final int AK_AUX = 32;

  // struct agg_value
  public static final int AGG_VALUE_SIZE = 32;
  public static final int AV_COUNT = 0;
  public static final int AV_BYTES = 8;
  public static final int AV_ERRORS = 16;
  public static final int AV_LAST_TS_NS = 24;
}
