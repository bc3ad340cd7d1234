package io.ipcscope.probes.event;

/**
 * One IPC operation as the kernel saw it: the decoded {@code struct ipc_event} (and its path, when the record
 * carries one). Field meaning per operation is in docs/EVENTS.md; unused fields are zero.
 *
 * @param tsNanos CLOCK_MONOTONIC nanoseconds, comparable with {@link System#nanoTime()}
 * @param startNanos boot-time start of {@code pid}: with it, {@code pid} is safe against reuse
 * @param channelId inode of a pipe or FIFO
 * @param bytes bytes that really moved
 * @param extra op-specific (si_value, child start time, open flags)
 * @param pid thread-group id of the acting task; 0 for the kernel itself
 * @param peerPid the other end, when the kernel knows it
 * @param channelDev st_dev in the kernel's encoding ({@code major << 20 | minor})
 * @param result the syscall result: {@code >= 0}, or {@code -errno}
 * @param aux signal number, write-end fd of a new pipe, or exit code
 * @param code si_code of a signal
 * @param status {@code signal_status} or {@code signal_disposition}
 * @param path FIFO path or exec filename; empty when the record has none
 */
public record IpcEvent(
    long tsNanos,
    long startNanos,
    long channelId,
    long bytes,
    long extra,
    int pid,
    int tid,
    int peerPid,
    int peerTid,
    int channelDev,
    int result,
    int fd,
    int aux,
    int code,
    Mechanism mechanism,
    Operation op,
    int status,
    String comm,
    int syscallNr,
    String path) {

  /** major number of {@link #channelDev()}, as {@code stat} shows it. */
  public int devMajor() {
    return channelDev >>> 20;
  }

  public int devMinor() {
    return channelDev & 0xFFFFF;
  }

  public boolean failed() {
    return result < 0;
  }
}
