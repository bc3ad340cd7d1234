package io.ipcscope.agent.export;

import io.ipcscope.agent.capture.IpcOp;

/**
 * The operations of one stream (channel, thread, mechanism, operation) that one window held beyond the stream's
 * detail budget, folded into one record (docs/AGENT.md, "summary"). {@link #op} is shaped as one operation of the
 * stream: its mechanism, operation, channel and thread; {@code bytes} the total moved (-1 when none of them moved
 * any); the earliest start and the latest end; the parent span of the first; the peer and attributes they all share.
 */
final class OpSummary {

  final IpcOp op;
  /** The operations folded, at least 1. */
  final long count;

  OpSummary(IpcOp op, long count) {
    this.op = op;
    this.count = count;
  }

  @Override
  public String toString() {
    return count + " x " + op + " " + op.startNanos + ".." + op.endNanos;
  }
}
