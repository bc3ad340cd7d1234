package io.ipcscope.collector.talk;

import io.ipcscope.probes.event.Mechanism;

/**
 * One edge of the who-talks-to-whom graph at a point in time. Times are CLOCK_MONOTONIC nanoseconds.
 *
 * @param directed false for shared memory, semaphores and locks: their users share an object, neither writes to the
 *     other as far as the kernel sees
 * @param messages consumer operations that took something from {@code from}: reads, receives, deliveries; for an
 *     undirected edge, attaches, semaphore operations and locks taken by either while the other used the object
 * @param bytes bytes taken ({@code 0} for signals and shared memory)
 * @param unobservedBytes bytes the consumer took that no observed write of {@code from} accounts for ({@code from}
 *     is then the peer the collector named, or unknown)
 * @param latencyCount how many latencies were measured (producer done to consumer done; for a lock, how long a
 *     waiter slept for the holder)
 * @param maxBacklogBytes the highest fill level of the channel seen on this edge (byte streams)
 */
public record Edge(EdgeKey key, String path, boolean directed, long messages, long bytes, long unobservedBytes,
    long firstNanos, long lastNanos, long latencyCount, long latencySumNanos, long latencyMaxNanos,
    long maxBacklogBytes) {

  public Mechanism mechanism() {
    return key.mechanism();
  }

  /** Mean latency in nanoseconds, 0 when none was measured. */
  public long latencyMeanNanos() {
    return latencyCount == 0 ? 0 : latencySumNanos / latencyCount;
  }
}
