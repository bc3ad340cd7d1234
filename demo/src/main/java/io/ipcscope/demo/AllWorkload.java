package io.ipcscope.demo;

import io.ipcscope.demo.truth.GroundTruth;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Every other registered workload at once, from one demo process: the firehose for a dashboard
 * and the load test of the tracer. Each runs in its own thread with its own {@link Run} (its own
 * processes, temp dir, queue, pid line on stderr and cleanup) and the shared settings, exactly as
 * its subcommand runs it ({@link WorkloadCommand#execute}). With --duration, workloads that take
 * only --messages ({@link Workload#takesDuration}) are left out, one line each.
 *
 * <p>Truth: workload "all", the union of the workloads' truths ({@link TruthUnion}): roles and
 * names prefixed by the workload's name ("pipe/child", "pipe/parent->child stdin"), the demo
 * process once as "parent". When one workload fails the others are stopped and cleaned up, and
 * {@code all} fails with one line naming the first that failed.
 */
final class AllWorkload implements Workload {

  static final String NAME = "all";

  /** How long the other workloads may take to stop after one failed. */
  private static final long STOP_SECONDS = 15;

  private final Supplier<List<Workload>> candidates;

  AllWorkload() {
    this(Workloads::all); // Read when run: the registry is not built yet when this is.
  }

  /** For tests: runs {@code candidates} (but itself) instead of the registry. */
  AllWorkload(Supplier<List<Workload>> candidates) {
    this.candidates = candidates;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "every other workload at the same time, each with its own processes; truth = their union, names prefixed";
  }

  /** The workloads {@code all} runs with {@code settings}, in registry order. */
  List<Workload> parts(Settings settings) {
    return candidates.get().stream()
        .filter(w -> !w.name().equals(NAME))
        .filter(w -> !settings.continuous() || w.takesDuration())
        .toList();
  }

  @Override
  public void run(Run all) throws Exception {
    Settings settings = all.settings();
    PrintWriter err = all.err();
    if (!settings.quiet()) {
      for (Workload w : candidates.get()) {
        if (!w.name().equals(NAME) && !parts(settings).contains(w)) {
          err.println("demo all: leaving out " + w.name() + ": it takes --messages, not --duration");
        }
      }
      err.flush();
    }
    Map<Workload, Run> runs = new LinkedHashMap<>();
    for (Workload w : parts(settings)) {
      runs.put(w, all.closeAtEnd(new Run(w.name(), settings, err)));
    }
    AtomicInteger threads = new AtomicInteger();
    List<Workload> order = new ArrayList<>(runs.keySet());
    ExecutorService pool = Executors.newFixedThreadPool(runs.size(), task -> {
      Thread t = new Thread(task, "demo all: " + order.get(threads.getAndIncrement()).name());
      t.setDaemon(true);
      return t;
    });
    CompletionService<GroundTruth> done = new ExecutorCompletionService<>(pool);
    Map<Future<GroundTruth>, Workload> futures = new LinkedHashMap<>();
    Map<Workload, GroundTruth> truths = new LinkedHashMap<>();
    try {
      for (Map.Entry<Workload, Run> e : runs.entrySet()) {
        futures.put(done.submit(() -> WorkloadCommand.execute(e.getKey(), e.getValue())), e.getKey());
      }
      for (int i = 0; i < futures.size(); i++) {
        Future<GroundTruth> f = done.take();
        Workload w = futures.get(f);
        try {
          truths.put(w, f.get());
        } catch (ExecutionException e) {
          stop(runs, futures.keySet(), pool);
          if (all.aborted()) {
            throw e;
          }
          throw new IOException(w.name() + " failed: " + WorkloadCommand.oneLine(e.getCause()), e.getCause());
        }
      }
    } catch (InterruptedException e) {
      stop(runs, futures.keySet(), pool);
      throw e;
    } finally {
      pool.shutdownNow();
    }
    for (Workload w : runs.keySet()) {
      all.include(w.name(), truths.get(w));
    }
  }

  /** Stops every run and waits (a while) for their threads to give up. */
  private static void stop(Map<Workload, Run> runs, Iterable<Future<GroundTruth>> futures, ExecutorService pool)
      throws InterruptedException {
    for (Run r : runs.values()) {
      r.abort();
    }
    for (Future<GroundTruth> f : futures) {
      f.cancel(true);
    }
    pool.shutdown();
    pool.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
  }
}
