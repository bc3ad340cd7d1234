package io.ipcscope.tui;

/**
 * One process as the Processes view shows it; rates are summed over the edges it receives on (in) and sends on (out).
 */
public record ProcessRow(int pid, String comm, int parentPid, double inBytesPerSec, double outBytesPerSec,
    double messagesPerSec) implements TopRow {}
