package io.ipcscope.cli.bench;

import io.ipcscope.cli.UserError;
import io.ipcscope.collector.Collector;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.opentelemetry.sdk.resources.Resource;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the collector's model holds at scale: synthetic events make many processes, each pair with many pipes that
 * carry a round trip each (so the graph has an edge per pipe and causal order a stream per pipe), fed to the model
 * and the collector with spans on. Heap after a full GC and the process's RSS, against the same JVM before feeding.
 * Needs no root.
 */
@Command(
    name = "memory",
    mixinStandardHelpOptions = true,
    description = "Heap and RSS of the collector's model holding --processes processes and --channels pipes with "
        + "traffic, against the same JVM before. Needs no root.",
    footer = {"", "Example:", "  ipcscope bench memory --processes 10000 --channels 100000"})
public final class MemoryBench implements Callable<Integer> {

  static final long TARGET_RSS_BYTES = 256L << 20;

  @Option(names = "--processes", defaultValue = "10000", description = "Processes (default: ${DEFAULT-VALUE}).")
  int processes;

  @Option(names = "--channels", defaultValue = "100000", description = "Pipes (default: ${DEFAULT-VALUE}).")
  int channels;

  @Override
  public Integer call() throws Exception {
    int pairs = processes / 2;
    if (pairs <= 0 || channels < 2 * pairs || channels % (2 * pairs) != 0) {
      throw new UserError("--channels must be a multiple of --processes (each pair's pipes go both ways)");
    }
    int pipesPerPair = channels / pairs;
    Footprint before = Footprint.now();
    ModelDriver[] driver = new ModelDriver[1];
    Collector[] collector = new Collector[1];
    long[] spans = {0};
    driver[0] = new ModelDriver(new ReplayBench.QuietHost(), Collector.DEFAULT_CAUSAL_HOLD_NANOS,
        r -> collector[0].accept(r));
    collector[0] = new Collector(driver[0].processes(), Resource.empty(), 0, SpanFactory.Options.defaults(1),
        Collector.DEFAULT_CAUSAL_HOLD_NANOS, span -> spans[0]++);
    long[] n = {0};
    SyntheticIpc[] host = new SyntheticIpc[1];
    host[0] = new SyntheticIpc(e -> {
      driver[0].accept(e);
      if (++n[0] % 500 == 0) {
        driver[0].tick(host[0].now());
        collector[0].tick(host[0].now());
      }
    }, 1_000_000_000L, 2_000);
    for (int p = 0; p < pairs; p++) {
      host[0].createPipes(p, pipesPerPair);
    }
    for (int p = 0; p < pairs; p++) {
      for (int k = 0; k < pipesPerPair; k += 2) {
        host[0].pipeRoundTrip(p, k, pipesPerPair, 64);
      }
    }
    // A second later: everything waiting for a peer or a producer has gone on, as it would live.
    driver[0].tick(host[0].now() + 1_000_000_000L);
    collector[0].tick(host[0].now() + 1_000_000_000L);
    Footprint after = Footprint.now();
    System.out.printf("memory: %,d events; model: %,d processes, %,d channels; graph: %,d edges; %,d spans made%n",
        n[0], driver[0].processes().size(), driver[0].channels().channelCount(), collector[0].graph().edgeCount(),
        spans[0]);
    System.out.printf("%-28s %14s %14s%n", "", "HEAP AFTER GC", "RSS");
    System.out.printf("%-28s %11.1f MB %11.1f MB%n", "before feeding (baseline)", mb(before.heap()), mb(before.rss()));
    System.out.printf("%-28s %11.1f MB %11.1f MB%n", "model and collector filled", mb(after.heap()), mb(after.rss()));
    System.out.printf("%-28s %11.1f MB %11.1f MB%n", "the model's share", mb(after.heap() - before.heap()),
        mb(after.rss() - before.rss()));
    boolean met = after.rss() <= TARGET_RSS_BYTES;
    System.out.printf("target: RSS <= %d MB: %s%n", TARGET_RSS_BYTES >> 20, met ? "met" : "NOT met");
    if (collector[0].events() < 0) {
      System.out.print(""); // keeps the model reachable until here
    }
    return met ? 0 : 1;
  }

  private static double mb(long bytes) {
    return bytes / 1048576.0;
  }

  /** Heap used after a full collection, and the resident set of the whole process (heap, JIT, metaspace...). */
  record Footprint(long heap, long rss) {
    static Footprint now() throws Exception {
      for (int i = 0; i < 3; i++) {
        System.gc();
      }
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      long rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      return new Footprint(heap, rss);
    }
  }
}
