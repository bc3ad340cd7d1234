package io.ipcscope.collector.record;

import static io.ipcscope.collector.record.RecordingFormat.*;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.model.ProcessInfo;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.probes.event.IpcEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes records into a buffer. Stateful as the format is: timestamps are deltas from the previous record's time, an
 * event's fields are written only where they differ from the previous event's, and a string is written once, then
 * referred to by its index. {@link RecordDecoder} mirrors every step.
 */
final class RecordEncoder {

  private final ByteSink out;
  private final Map<String, Integer> strings = new HashMap<>();
  private long lastNanos;
  /** The previous event: all zero before the first. */
  private IpcEvent previous = new IpcEvent(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, "", 0, "");

  RecordEncoder(ByteSink out, long startNanos) {
    this.out = out;
    this.lastNanos = startNanos;
  }

  void header(RecordingHeader h) {
    out.writeByte(HEADER);
    out.writeUtf8(h.hostName());
    out.writeUtf8(h.kernelRelease());
    out.writeSignedLong(h.epochNanosAtMonotonicZero());
    out.writeSignedLong(h.startMonotonicNanos());
    out.writeSignedLong(h.peerWaitNanos());
    out.writeSignedInt(h.recorderPid());
  }

  void snapshot(HostSnapshot s) {
    out.writeByte(SNAPSHOT);
    out.writeVarInt(s.processes().size());
    for (ProcessInfo p : s.processes()) {
      out.writeSignedInt(p.pid());
      out.writeSignedLong(p.key().startTicks());
      out.writeSignedInt(p.parentPid());
      string(p.comm());
      string(p.exe());
      out.writeSignedLong(p.exitedNanos());
      out.writeSignedInt(p.exitStatus());
    }
    out.writeVarInt(s.holdings().size());
    for (HostSnapshot.Holding h : s.holdings()) {
      channel(h.channel());
      out.writeSignedInt(h.pid());
      out.writeByte((h.canRead() ? 1 : 0) | (h.canWrite() ? 2 : 0));
      string(h.path());
    }
  }

  void event(IpcEvent e) {
    IpcEvent p = previous;
    long dt = e.tsNanos() - lastNanos;
    int mask = (dt != 0 ? F_TS : 0)
        | (e.bytes() != p.bytes() ? F_BYTES : 0)
        | (e.result() != p.result() ? F_RESULT : 0)
        | (e.op() != p.op() ? F_OP : 0)
        | (e.mechanism() != p.mechanism() ? F_MECHANISM : 0)
        | (e.pid() != p.pid() ? F_PID : 0)
        | (e.tid() != p.tid() ? F_TID : 0)
        | (e.channelId() != p.channelId() ? F_CHANNEL_ID : 0)
        | (e.fd() != p.fd() ? F_FD : 0)
        | (e.extra() != p.extra() ? F_EXTRA : 0)
        | (e.peerPid() != p.peerPid() ? F_PEER_PID : 0)
        | (e.peerTid() != p.peerTid() ? F_PEER_TID : 0)
        | (e.startNanos() != p.startNanos() ? F_START : 0)
        | (!e.comm().equals(p.comm()) ? F_COMM : 0)
        | (e.channelDev() != p.channelDev() ? F_CHANNEL_DEV : 0)
        | (e.aux() != p.aux() ? F_AUX : 0)
        | (e.code() != p.code() ? F_CODE : 0)
        | (e.status() != p.status() ? F_STATUS : 0)
        | (e.syscallNr() != p.syscallNr() ? F_SYSCALL : 0)
        | (!e.path().equals(p.path()) ? F_PATH : 0);
    out.writeByte(EVENT);
    out.writeVarInt(mask);
    if ((mask & F_TS) != 0) {
      out.writeSignedLong(dt);
    }
    if ((mask & F_BYTES) != 0) {
      out.writeSignedLong(e.bytes());
    }
    if ((mask & F_RESULT) != 0) {
      out.writeSignedInt(e.result());
    }
    if ((mask & F_OP) != 0) {
      out.writeVarInt(e.op() == null ? 0 : e.op().wireValue());
    }
    if ((mask & F_MECHANISM) != 0) {
      out.writeVarInt(e.mechanism() == null ? 0 : e.mechanism().wireValue());
    }
    if ((mask & F_PID) != 0) {
      out.writeSignedInt(e.pid());
    }
    if ((mask & F_TID) != 0) {
      out.writeSignedInt(e.tid());
    }
    if ((mask & F_CHANNEL_ID) != 0) {
      out.writeSignedLong(e.channelId());
    }
    if ((mask & F_FD) != 0) {
      out.writeSignedInt(e.fd());
    }
    if ((mask & F_EXTRA) != 0) {
      out.writeSignedLong(e.extra());
    }
    if ((mask & F_PEER_PID) != 0) {
      out.writeSignedInt(e.peerPid());
    }
    if ((mask & F_PEER_TID) != 0) {
      out.writeSignedInt(e.peerTid());
    }
    if ((mask & F_START) != 0) {
      out.writeSignedLong(e.startNanos());
    }
    if ((mask & F_COMM) != 0) {
      string(e.comm());
    }
    if ((mask & F_CHANNEL_DEV) != 0) {
      out.writeSignedInt(e.channelDev());
    }
    if ((mask & F_AUX) != 0) {
      out.writeSignedInt(e.aux());
    }
    if ((mask & F_CODE) != 0) {
      out.writeSignedInt(e.code());
    }
    if ((mask & F_STATUS) != 0) {
      out.writeSignedInt(e.status());
    }
    if ((mask & F_SYSCALL) != 0) {
      out.writeSignedInt(e.syscallNr());
    }
    if ((mask & F_PATH) != 0) {
      string(e.path());
    }
    lastNanos = e.tsNanos();
    previous = e;
  }

  void tick(long nanos) {
    out.writeByte(TICK);
    time(nanos);
  }

  void lost(long nanos, long count) {
    out.writeByte(LOST);
    time(nanos);
    out.writeVarLong(count);
  }

  void drain() {
    out.writeByte(DRAIN);
  }

  void note(String key, String value) {
    out.writeByte(NOTE);
    string(key);
    string(value);
  }

  void holds(int pid, ChannelKey channel, boolean holds) {
    out.writeByte(HOLDS);
    out.writeSignedInt(pid);
    channel(channel);
    out.writeBoolean(holds);
  }

  void openChannels(int pid, Set<ChannelKey> open) {
    out.writeByte(OPEN_CHANNELS);
    out.writeSignedInt(pid);
    out.writeVarInt(open.size());
    for (ChannelKey c : open) {
      channel(c);
    }
  }

  void mountPoint(int kernelDev, String mountPoint) {
    out.writeByte(MOUNT_POINT);
    out.writeSignedInt(kernelDev);
    string(mountPoint);
  }

  void details(int pid, ProcessDetails details) {
    out.writeByte(DETAILS);
    out.writeSignedInt(pid);
    string(details.commandLine());
    out.writeSignedInt(details.uid());
    string(details.cgroup());
  }

  void end(long records) {
    out.writeByte(END);
    out.writeVarLong(records);
  }

  private void time(long nanos) {
    out.writeSignedLong(nanos - lastNanos);
    lastNanos = nanos;
  }

  private void channel(ChannelKey c) {
    out.writeVarInt(c.mechanism().wireValue());
    out.writeSignedInt(c.dev());
    out.writeSignedLong(c.inode());
    out.writeSignedLong(c.peer());
  }

  private void string(String s) {
    Integer index = strings.get(s);
    if (index != null) {
      out.writeVarInt(STRING_TABLE_BASE + index);
    } else if (strings.size() < MAX_STRINGS) {
      strings.put(s, strings.size());
      out.writeVarInt(STRING_NEW);
      out.writeUtf8(s);
    } else {
      out.writeVarInt(STRING_INLINE);
      out.writeUtf8(s);
    }
  }
}
