package io.ipcscope.collector.record;

import static io.ipcscope.collector.record.RecordingFormat.*;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the records {@link RecordEncoder} writes, step for step. A record that fails half-way leaves the state as it
 * was before it only for the fields it did not reach: the reader stops at the first bad record, so that never matters.
 */
final class RecordDecoder {

  private final ByteCursor in;
  private final List<String> strings = new ArrayList<>();
  private long lastNanos;
  // the previous event's fields, unboxed: a field absent from a record keeps its value
  private long bytes;
  private int result;
  private Operation op;
  private Mechanism mechanism;
  private int pid;
  private int tid;
  private long channelId;
  private int fd;
  private long extra;
  private int peerPid;
  private int peerTid;
  private long startNanos;
  private String comm = "";
  private int channelDev;
  private int aux;
  private int code;
  private int status;
  private int syscallNr;
  private String path = "";

  RecordDecoder(ByteCursor in) {
    this.in = in;
  }

  static RecordingHeader header(ByteCursor in, int version) {
    if (in.readByte() != HEADER) {
      throw new ByteCursor.Malformed("the first record is not a header");
    }
    return new RecordingHeader(version, in.readUtf8(), in.readUtf8(), in.readSignedLong(), in.readSignedLong(),
        in.readSignedLong(), in.readSignedInt());
  }

  void startAt(long nanos) {
    lastNanos = nanos;
  }

  /** The next record; the cursor must be at a record's tag. */
  RecordingEntry next() {
    int tag = in.readByte();
    return switch (tag) {
      case EVENT -> new RecordingEntry.Event(event());
      case TICK -> new RecordingEntry.Tick(time());
      case LOST -> new RecordingEntry.Lost(time(), in.readVarLong());
      case DRAIN -> new RecordingEntry.Drain();
      case NOTE -> new RecordingEntry.Note(string(), string());
      case HOLDS -> new RecordingEntry.Holds(in.readSignedInt(), channel(), in.readBoolean());
      case OPEN_CHANNELS -> openChannels();
      case MOUNT_POINT -> new RecordingEntry.MountPoint(in.readSignedInt(), string());
      case SNAPSHOT -> new RecordingEntry.Snapshot(snapshot());
      case DETAILS -> new RecordingEntry.Details(in.readSignedInt(),
          new ProcessDetails(string(), in.readSignedInt(), string()));
      case END -> new RecordingEntry.End(in.readVarLong());
      default -> throw new ByteCursor.Malformed("unknown record type " + tag);
    };
  }

  private IpcEvent event() {
    int mask = in.readVarInt();
    if ((mask & ~F_ALL) != 0) {
      throw new ByteCursor.Malformed("an event with unknown fields (mask 0x" + Integer.toHexString(mask) + ")");
    }
    long ts = lastNanos;
    if ((mask & F_TS) != 0) {
      ts += in.readSignedLong();
    }
    if ((mask & F_BYTES) != 0) {
      bytes = in.readSignedLong();
    }
    if ((mask & F_RESULT) != 0) {
      result = in.readSignedInt();
    }
    if ((mask & F_OP) != 0) {
      int wire = in.readVarInt();
      op = Operation.fromWire(wire);
      if (op == null) {
        throw new ByteCursor.Malformed("unknown operation " + wire);
      }
    }
    if ((mask & F_MECHANISM) != 0) {
      int wire = in.readVarInt();
      mechanism = Mechanism.fromWire(wire);
      if (mechanism == null) {
        throw new ByteCursor.Malformed("unknown mechanism " + wire);
      }
    }
    if ((mask & F_PID) != 0) {
      pid = in.readSignedInt();
    }
    if ((mask & F_TID) != 0) {
      tid = in.readSignedInt();
    }
    if ((mask & F_CHANNEL_ID) != 0) {
      channelId = in.readSignedLong();
    }
    if ((mask & F_FD) != 0) {
      fd = in.readSignedInt();
    }
    if ((mask & F_EXTRA) != 0) {
      extra = in.readSignedLong();
    }
    if ((mask & F_PEER_PID) != 0) {
      peerPid = in.readSignedInt();
    }
    if ((mask & F_PEER_TID) != 0) {
      peerTid = in.readSignedInt();
    }
    if ((mask & F_START) != 0) {
      startNanos = in.readSignedLong();
    }
    if ((mask & F_COMM) != 0) {
      comm = string();
    }
    if ((mask & F_CHANNEL_DEV) != 0) {
      channelDev = in.readSignedInt();
    }
    if ((mask & F_AUX) != 0) {
      aux = in.readSignedInt();
    }
    if ((mask & F_CODE) != 0) {
      code = in.readSignedInt();
    }
    if ((mask & F_STATUS) != 0) {
      status = in.readSignedInt();
    }
    if ((mask & F_SYSCALL) != 0) {
      syscallNr = in.readSignedInt();
    }
    if ((mask & F_PATH) != 0) {
      path = string();
    }
    if (op == null || mechanism == null) {
      throw new ByteCursor.Malformed("an event without operation or mechanism");
    }
    lastNanos = ts;
    return new IpcEvent(ts, startNanos, channelId, bytes, extra, pid, tid, peerPid, peerTid, channelDev, result, fd,
        aux, code, mechanism, op, status, comm, syscallNr, path);
  }

  private HostSnapshot snapshot() {
    int processCount = count();
    List<ProcessInfo> processes = new ArrayList<>(Math.min(processCount, 1 << 16));
    for (int i = 0; i < processCount; i++) {
      int p = in.readSignedInt();
      long startTicks = in.readSignedLong();
      processes.add(new ProcessInfo(new ProcessKey(p, startTicks), in.readSignedInt(), string(), string(),
          in.readSignedLong(), in.readSignedInt()));
    }
    int holdingCount = count();
    List<HostSnapshot.Holding> holdings = new ArrayList<>(Math.min(holdingCount, 1 << 16));
    for (int i = 0; i < holdingCount; i++) {
      ChannelKey channel = channel();
      int holder = in.readSignedInt();
      int mode = in.readByte();
      if (mode > 3) {
        throw new ByteCursor.Malformed("a holding mode of " + mode);
      }
      holdings.add(new HostSnapshot.Holding(channel, holder, (mode & 1) != 0, (mode & 2) != 0, string()));
    }
    return new HostSnapshot(processes, holdings);
  }

  private RecordingEntry openChannels() {
    int holder = in.readSignedInt();
    int n = count();
    Set<ChannelKey> open = new HashSet<>();
    for (int i = 0; i < n; i++) {
      open.add(channel());
    }
    return new RecordingEntry.OpenChannels(holder, open);
  }

  private int count() {
    int n = in.readVarInt();
    if (n < 0) {
      throw new ByteCursor.Malformed("a count of " + Integer.toUnsignedString(n));
    }
    return n;
  }

  private long time() {
    lastNanos += in.readSignedLong();
    return lastNanos;
  }

  private ChannelKey channel() {
    int wire = in.readVarInt();
    Mechanism m = Mechanism.fromWire(wire);
    if (m == null) {
      throw new ByteCursor.Malformed("a channel of unknown mechanism " + wire);
    }
    return new ChannelKey(m, in.readSignedInt(), in.readSignedLong(), in.readSignedLong());
  }

  private String string() {
    int ref = in.readVarInt();
    if (ref == STRING_NEW) {
      String s = in.readUtf8();
      strings.add(s);
      return s;
    }
    if (ref == STRING_INLINE) {
      return in.readUtf8();
    }
    int index = ref - STRING_TABLE_BASE;
    if (index < 0 || index >= strings.size()) {
      throw new ByteCursor.Malformed("a reference to string " + Integer.toUnsignedString(index) + " of "
          + strings.size());
    }
    return strings.get(index);
  }
}
