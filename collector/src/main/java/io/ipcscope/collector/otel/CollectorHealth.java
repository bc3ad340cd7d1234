package io.ipcscope.collector.otel;

/**
 * The collector's own health at one moment, as its loop publishes it for metrics and status.
 *
 * @param lostPerCpu records the probes could not write because the ring buffer was full, per CPU
 * @param spansDropped spans never handed to the exporter (its queue was full)
 * @param evictedProcesses exited processes forgotten after their retention
 * @param evictedChannels channels forgotten once nobody held them any more
 * @param agents the JVM agents' connections and joins ({@link AgentHealth#NONE} without an agent socket)
 */
public record CollectorHealth(long events, long[] lostPerCpu, long spansMade, long spansExported, long spansFailed,
    long spansDropped, int spanQueue, int processes, int channels, int edges, long evictedEdges,
    long evictedProcesses, long evictedChannels, int causalPending, long unobservedBytes, AgentHealth agents) {

  public static final CollectorHealth EMPTY = new CollectorHealth(0, new long[0], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Without agents. */
  public CollectorHealth(long events, long[] lostPerCpu, long spansMade, long spansExported, long spansFailed,
      long spansDropped, int spanQueue, int processes, int channels, int edges, long evictedEdges,
      long evictedProcesses, long evictedChannels, int causalPending, long unobservedBytes) {
    this(events, lostPerCpu, spansMade, spansExported, spansFailed, spansDropped, spanQueue, processes, channels, edges,
        evictedEdges, evictedProcesses, evictedChannels, causalPending, unobservedBytes, AgentHealth.NONE);
  }

  public long lost() {
    long sum = 0;
    for (long n : lostPerCpu) {
      sum += n;
    }
    return sum;
  }
}
