package io.ipcscope.tui;

import io.ipcscope.collector.model.ProcessKey;

/**
 * One process as the Processes view shows it, in a tree by parent; rates are summed over the edges it receives on
 * (in) and sends on (out).
 *
 * @param depth how far below its nearest shown ancestor it is drawn (0: a root of the tree)
 * @param jvm whether it is a Java virtual machine (the agent's side of the story)
 * @param perMechanism its traffic by mechanism, busiest first: {@code pipe 1.2K/0, unix 80/80} (in/out per second:
 *     bytes, or operations for mechanisms that move none)
 */
public record ProcessRow(ProcessKey key, String comm, int parentPid, int depth, boolean jvm, double inBytesPerSec,
    double outBytesPerSec, double messagesPerSec, String perMechanism) implements TopRow {

  public int pid() {
    return key.pid();
  }

  @Override
  public Object id() {
    return key;
  }
}
