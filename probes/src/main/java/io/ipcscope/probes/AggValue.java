package io.ipcscope.probes;

import static io.ipcscope.probes.event.EventLayout.*;

import java.nio.ByteBuffer;

/** A row of aggregate mode ({@code struct agg_value}). */
public record AggValue(long count, long bytes, long errors, long lastTsNanos) {

  static AggValue decode(ByteBuffer b) {
    return new AggValue(b.getLong(AV_COUNT), b.getLong(AV_BYTES), b.getLong(AV_ERRORS), b.getLong(AV_LAST_TS_NS));
  }
}
