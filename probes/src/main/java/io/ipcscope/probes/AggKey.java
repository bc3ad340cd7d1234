package io.ipcscope.probes;

import static io.ipcscope.probes.event.EventLayout.*;

import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.nio.ByteBuffer;

/**
 * A row key of aggregate mode ({@code struct agg_key}): one (process, channel, operation).
 *
 * @param mechanism null when the probe object is newer than this code
 * @param op null when the probe object is newer than this code
 */
public record AggKey(
    long startNanos, long channelId, int pid, int channelDev, int peerPid, Mechanism mechanism, Operation op,
    int aux) {

  /** Writes this key as {@code struct agg_key} (little-endian, padding zeroed) at the start of {@code b}. */
  void encode(ByteBuffer b) {
    for (int i = 0; i < AGG_KEY_SIZE; i++) {
      b.put(i, (byte) 0);
    }
    b.putLong(AK_START_NS, startNanos);
    b.putLong(AK_CHANNEL_ID, channelId);
    b.putInt(AK_PID, pid);
    b.putInt(AK_CHANNEL_DEV, channelDev);
    b.putInt(AK_PEER_PID, peerPid);
    b.putShort(AK_MECHANISM, (short) mechanism.wireValue());
    b.put(AK_OP, (byte) op.wireValue());
    b.putInt(AK_AUX, aux);
  }

  static AggKey decode(ByteBuffer b) {
    return new AggKey(
        b.getLong(AK_START_NS),
        b.getLong(AK_CHANNEL_ID),
        b.getInt(AK_PID),
        b.getInt(AK_CHANNEL_DEV),
        b.getInt(AK_PEER_PID),
        Mechanism.fromWire(b.getShort(AK_MECHANISM) & 0xFFFF),
        Operation.fromWire(b.get(AK_OP) & 0xFF),
        b.getInt(AK_AUX));
  }
}
