package io.ipcscope.cli;

import io.ipcscope.probes.ProbeStatus;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM, SIGINT and SIGHUP-less ends for a command that traces until told to stop: a JVM shutdown hook that asks
 * the command's loop to stop and then waits for it to finish (drain the ring, flush, detach the probes) before the
 * JVM may exit. Close it when the loop has finished.
 */
public final class StopSignal implements AutoCloseable {

  /** Long enough to drain a full ring and detach every probe under load; systemd waits 90 s before SIGKILL. */
  private static final long FINISH_SECONDS = 15;

  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;
  private volatile boolean requested;

  private StopSignal(String name) {
    this.hook = new Thread(() -> {
      requested = true;
      try {
        finished.await(FINISH_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
  }

  public static StopSignal install(String name) {
    StopSignal stop = new StopSignal(name);
    Runtime.getRuntime().addShutdownHook(stop.hook);
    return stop;
  }

  /** True once the JVM was asked to end (or {@link #request()} was called). */
  public boolean requested() {
    return requested;
  }

  /** Asks the loop to end, as a signal would (the output's reader is gone, say). */
  public void request() {
    requested = true;
  }

  /** The loop has finished: the JVM may exit now; without a stop, the hook is no longer needed. */
  @Override
  public void close() {
    finished.countDown();
    if (!requested) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already on its way out
      }
    }
  }

  /** Says which probes could not be loaded or attached, one line each; the others run. */
  public static void reportUnavailable(List<ProbeStatus> statuses) {
    for (ProbeStatus status : statuses) {
      if (!status.ok()) {
        System.err.println("ipcscope: " + status.mechanism().id() + ": " + status.program() + " unavailable: "
            + status.reason());
      }
    }
  }

  /**
   * Ends a command the tracer ran: if it outlived tracing (SIGTERM, --duration), it is told with SIGTERM, as
   * `timeout` would, and killed if it has not ended 5 s later. Returns its exit code.
   */
  public static int endCommand(Process child) throws InterruptedException {
    if (child.isAlive()) {
      child.destroy();
      if (!child.waitFor(5, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
    return child.waitFor();
  }
}
