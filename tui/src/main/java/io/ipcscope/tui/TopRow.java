package io.ipcscope.tui;

/** One line of the dashboard's table, immutable, already derived from the model so views only format it. */
public sealed interface TopRow permits TalkRow, ChannelRow, ProcessRow, SignalRow {}
