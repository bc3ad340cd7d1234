package io.ipcscope.collector.model;

/**
 * One process's hold on one channel: which ends it may use (from pipe creation, FIFO open, fork inheritance or the
 * /proc scan) and when it last really read or wrote (0: never seen doing so).
 */
record Endpoint(
    int pid, boolean canRead, boolean canWrite, boolean closeOnExec, long lastReadNanos, long lastWriteNanos,
    long sinceNanos, long exitedNanos) {

  static Endpoint holding(int pid, boolean canRead, boolean canWrite, boolean closeOnExec, long sinceNanos) {
    return new Endpoint(pid, canRead, canWrite, closeOnExec, 0, 0, sinceNanos, 0);
  }

  Endpoint merge(boolean read, boolean write, boolean cloexec) {
    // Whoever acts now is alive: a reused pid must not inherit its predecessor's exit.
    return new Endpoint(pid, canRead || read, canWrite || write, cloexec, lastReadNanos, lastWriteNanos, sinceNanos, 0);
  }

  Endpoint reading(long nanos) {
    return new Endpoint(pid, true, canWrite, closeOnExec, nanos, lastWriteNanos, sinceNanos, 0);
  }

  Endpoint writing(long nanos) {
    return new Endpoint(pid, canRead, true, closeOnExec, lastReadNanos, nanos, sinceNanos, 0);
  }

  /** What a forked child gets: the same ends, none of the parent's activity. */
  Endpoint inheritedBy(int child, long nanos) {
    return new Endpoint(child, canRead, canWrite, closeOnExec, 0, 0, nanos, 0);
  }

  /** The process is gone; what it wrote may still sit in the pipe for a reader to take. */
  Endpoint exited(long nanos) {
    return new Endpoint(pid, false, false, closeOnExec, lastReadNanos, lastWriteNanos, sinceNanos, nanos);
  }

  boolean alive() {
    return exitedNanos == 0;
  }
}
