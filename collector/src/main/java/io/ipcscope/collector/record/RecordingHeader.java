package io.ipcscope.collector.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a recording says about itself before its first record.
 *
 * @param version the format version it was written in
 * @param hostName the traced host
 * @param kernelRelease {@code uname -r} of the traced host
 * @param epochNanosAtMonotonicZero wall-clock epoch nanoseconds minus CLOCK_MONOTONIC nanoseconds at recording
 *     start: an event's {@code tsNanos} plus this is its wall-clock time
 * @param startMonotonicNanos CLOCK_MONOTONIC when recording started
 * @param peerWaitNanos the peer wait the live model ran with; a replay with another may name other peers
 * @param recorderPid the tracer's own pid (trace hides its own output channels)
 */
public record RecordingHeader(int version, String hostName, String kernelRelease, long epochNanosAtMonotonicZero,
    long startMonotonicNanos, long peerWaitNanos, int recorderPid) {

  public RecordingHeader {
    Objects.requireNonNull(hostName, "hostName");
    Objects.requireNonNull(kernelRelease, "kernelRelease");
  }

  /** The header of a recording of this host starting now, in this version of the format. */
  public static RecordingHeader now(long peerWaitNanos) {
    long monotonic = System.nanoTime();
    long epochNanos = System.currentTimeMillis() * 1_000_000L;
    return new RecordingHeader(RecordingFormat.VERSION, localHostName(), System.getProperty("os.version", ""),
        epochNanos - monotonic, monotonic, peerWaitNanos, (int) ProcessHandle.current().pid());
  }

  /** The wall-clock time of a CLOCK_MONOTONIC timestamp of this recording, in epoch nanoseconds. */
  public long epochNanos(long monotonicNanos) {
    return epochNanosAtMonotonicZero + monotonicNanos;
  }

  private static String localHostName() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
