package io.ipcscope.tui;

/** One line of the dashboard's table, immutable, already derived from the model so views only format it. */
public sealed interface TopRow permits TalkRow, ChannelRow, ProcessRow, EventRow, TalkMatrix.Node, SignalRow {

  /** What stays the same about a row from frame to frame, so the selection follows it when rows move. */
  default Object id() {
    return this;
  }
}
