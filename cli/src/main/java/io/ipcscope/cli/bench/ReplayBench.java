package io.ipcscope.cli.bench;

import io.ipcscope.cli.UserError;
import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessDetails;
import io.ipcscope.collector.pipeline.HostSnapshot;
import io.ipcscope.collector.pipeline.HostView;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.record.RecordingEntry;
import io.ipcscope.collector.record.RecordingHeader;
import io.ipcscope.collector.record.RecordingReader;
import io.ipcscope.collector.record.RecordingWriter;
import io.ipcscope.collector.record.Replay;
import io.ipcscope.collector.record.ReplayResult;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How fast a recording replays: decoding alone, and decoding plus the whole model, against reading the same bytes
 * with a plain BufferedInputStream in the same invocation (the floor no decoder can beat). The recording is
 * synthetic: pipe writes and reads between four pairs of processes, each answered by its peer at once, a tick every
 * 500 events. Needs no root.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "How fast a recording (trace -w) replays, in events per second of one core. Needs no root.",
    footer = {"", "Example:", "  ipcscope bench replay --events 5000000"})
public final class ReplayBench implements Callable<Integer> {

  static final double TARGET_EVENTS_PER_SECOND = 500_000;
  private static final long PEER_WAIT = 200_000_000L;

  @Option(names = "--events", defaultValue = "2000000", description = "Events in the recording (default: ${DEFAULT-VALUE}).")
  int events;

  @Option(names = "--runs", defaultValue = "3", description = "Runs of each mode; the best is printed (default: ${DEFAULT-VALUE}).")
  int runs;

  @Override
  public Integer call() throws IOException {
    if (events <= 0 || runs <= 0) {
      throw new UserError("--events and --runs must be positive");
    }
    Path file = Files.createTempFile("ipcscope-bench-", ".rec");
    try {
      synthesize(file);
      long size = Files.size(file);
      System.out.printf("replay: %d synthetic events, %d bytes (%.1f per event), %d runs, best shown%n", events, size,
          (double) size / events, runs);
      double plain = best(() -> readPlain(file));
      double decode = best(() -> decodeOnly(file));
      double model = best(() -> replayModel(file));
      System.out.printf("%-26s %14s %14s%n", "MODE", "EVENTS/S", "TIME VS PLAIN");
      System.out.printf("%-26s %,14.0f %13.2fx%n", "plain BufferedInputStream", events / plain, 1.0);
      System.out.printf("%-26s %,14.0f %13.2fx%n", "decode only", events / decode, decode / plain);
      System.out.printf("%-26s %,14.0f %13.2fx%n", "decode + model", events / model, model / plain);
      boolean met = events / model >= TARGET_EVENTS_PER_SECOND;
      System.out.printf("target: full replay >= %,.0f events/s: %s%n", TARGET_EVENTS_PER_SECOND, met ? "met" : "NOT met");
      return met ? 0 : 1;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @FunctionalInterface
  private interface Run {
    long run() throws IOException;
  }

  /** The shortest of {@code runs} timings (after one warm-up), in seconds. */
  private double best(Run run) throws IOException {
    long sink = run.run();
    double best = Double.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      sink += run.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    if (sink == 42) {
      System.out.print(""); // keeps the work observable
    }
    return best;
  }

  private static long readPlain(Path file) throws IOException {
    long sum = 0;
    byte[] buf = new byte[8192];
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        sum += buf[n - 1];
      }
    }
    return sum;
  }

  static long decodeOnly(Path file) throws IOException {
    long sum = 0;
    try (RecordingReader reader = RecordingReader.open(file)) {
      for (RecordingEntry e = reader.next(); e != null; e = reader.next()) {
        if (e instanceof RecordingEntry.Event ev) {
          sum += ev.event().bytes();
        }
      }
    }
    return sum;
  }

  private static long replayModel(Path file) throws IOException {
    long[] named = new long[1];
    ReplayResult result = Replay.run(file, PEER_WAIT, r -> named[0] += r.peerPid());
    if (result.error().isPresent()) {
      throw new IllegalStateException(result.error().get());
    }
    return named[0];
  }

  /** Records the synthetic run through the real model, as trace -w would. */
  private void synthesize(Path file) throws IOException {
    long t0 = 1_000_000_000L;
    RecordingHeader header = new RecordingHeader(1, "bench", "", 0, t0, PEER_WAIT, 1);
    try (RecordingWriter writer = RecordingWriter.create(file, header)) {
      ModelDriver driver = new ModelDriver(new QuietHost(), PEER_WAIT, r -> { }, writer);
      for (int i = 0; i < events; i++) {
        int pair = (i / 2) % 4;
        boolean write = i % 2 == 0;
        int pid = 1000 + pair * 2 + (write ? 0 : 1);
        long ts = t0 + i * 2_000L;
        driver.accept(new IpcEvent(ts, 7_000_000_000L, 500 + pair, 64 + (i & 63), 0, pid, pid, 0, 0, 0,
            64 + (i & 63), write ? 4 : 3, 0, 0, Mechanism.PIPE, write ? Operation.WRITE : Operation.READ, 0,
            write ? "producer" : "consumer", write ? 1 : 0, ""));
        if (i % 500 == 499) {
          driver.tick(ts + 1_000);
        }
      }
      driver.drain();
    }
  }

  /** A host that knows nothing: the synthetic processes never ask it anything that matters. */
  static final class QuietHost implements HostView {
    @Override
    public HostSnapshot snapshot() {
      return HostSnapshot.EMPTY;
    }

    @Override
    public Set<ChannelKey> openChannels(int pid) {
      return Set.of();
    }

    @Override
    public boolean stillHolds(int pid, ChannelKey channel) {
      return true;
    }

    @Override
    public ProcessDetails details(int pid) {
      return ProcessDetails.UNKNOWN;
    }

    @Override
    public String mountPoint(int kernelDev) {
      return "";
    }
  }
}
