package io.ipcscope.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ipcscope demo --cleanup}: finds the objects every workload's runs make ({@link
 * Workload#leftovers}) and removes those whose demo is gone ({@link Owner#judge}); a running
 * demo's are kept. One line per object on {@code out} ("removed sysv_mq key 0x4900a1b2 (id 5):
 * its demo (pid 41394) is gone"), then a summary. What cannot be searched or removed is one line
 * on {@code err} and makes the exit status 1; the rest is still cleaned.
 */
final class Cleanup implements Leftovers.Host, AutoCloseable {

  private final Path tmpDir;
  private final PrintWriter out;
  private final PrintWriter err;
  private /* @Nullable */ MqueueMount mqueue;
  private /* @Nullable */ RuntimeException mqueueFailure;

  Cleanup(Path tmpDir, PrintWriter out, PrintWriter err) {
    this.tmpDir = requireNonNull(tmpDir, "tmpDir");
    this.out = requireNonNull(out, "out");
    this.err = requireNonNull(err, "err");
  }

  /** Cleans up after the demos whose temp dirs go to {@code tmpDir}; returns the exit status. */
  static int run(Path tmpDir, PrintWriter out, PrintWriter err) {
    try (Cleanup cleanup = new Cleanup(tmpDir, out, err)) {
      return cleanup.run();
    }
  }

  @Override
  public Path tmpDir() {
    return tmpDir;
  }

  @Override
  public synchronized Path mqueueDir() throws IOException {
    if (mqueueFailure != null) {
      throw mqueueFailure;
    }
    if (mqueue == null) {
      try {
        mqueue = MqueueMount.open(tmpDir);
      } catch (RuntimeException e) {
        mqueueFailure = e;
        throw e;
      }
    }
    return mqueue.dir();
  }

  int run() {
    int problems = 0;
    Map<String, Leftovers.Found> found = new LinkedHashMap<>();
    for (Workload workload : Workloads.all()) {
      for (Leftovers leftovers : workload.leftovers()) {
        try {
          leftovers.find(this).forEach(f -> found.putIfAbsent(f.describe(), f));
        } catch (IOException | RuntimeException e) {
          problem("cannot look for the " + leftovers.kind() + " objects of demo " + workload.name() + ": "
              + WorkloadCommand.oneLine(e));
          problems++;
        }
      }
    }
    // Unmount before removing anything (mq_unlink needs no mount): the mount is this command's own leftover.
    try {
      close();
    } catch (RuntimeException e) {
      problem("unmounting the mqueue fs: " + WorkloadCommand.oneLine(e));
      problems++;
    }

    Map<Long, Owner> owners = new HashMap<>();
    int removed = 0;
    int kept = 0;
    for (Leftovers.Found f : found.values()) {
      Owner.Verdict verdict = owners.computeIfAbsent(f.demoPid(), Owner::of).judge(f.changed());
      if (!verdict.leftOver()) {
        out.println("kept " + f.describe() + ": " + verdict.reason());
        kept++;
        continue;
      }
      try {
        f.removal().remove();
        out.println("removed " + f.describe() + ": " + verdict.reason());
        removed++;
      } catch (IOException | RuntimeException e) {
        if (!vanished(e)) {
          problem("could not remove " + f.describe() + ": " + WorkloadCommand.oneLine(e));
          problems++;
        }
      }
    }
    out.println(summary(removed, kept, problems));
    out.flush();
    return problems == 0 ? 0 : 1;
  }

  /** Removed meanwhile by someone else: nothing to do or report. */
  private static boolean vanished(Exception e) {
    if (e instanceof NoSuchFileException) {
      return true;
    }
    // mq_unlink of a name no longer there; msgctl of an id no longer there.
    return e instanceof ErrnoException errno && (errno.errno() == Libc.ENOENT || errno.errno() == Libc.EINVAL
        || errno.errno() == Libc.EIDRM);
  }

  static String summary(int removed, int kept, int problems) {
    StringBuilder s = new StringBuilder("cleanup: ");
    s.append(removed == 0 ? "nothing left over" : removed + (removed == 1 ? " object" : " objects") + " removed");
    if (kept > 0) {
      s.append(", ").append(kept).append(kept == 1 ? " kept (its demo is running)" : " kept (their demos are running)");
    }
    if (problems > 0) {
      s.append("; ").append(problems).append(problems == 1 ? " problem" : " problems").append(" (see above)");
    }
    return s.toString();
  }

  private void problem(String message) {
    err.println("demo --cleanup: " + message);
    err.flush();
  }

  /** Unmounts the mqueue fs if this cleanup mounted it. */
  @Override
  public synchronized void close() {
    if (mqueue != null) {
      MqueueMount m = mqueue;
      mqueue = null;
      mqueueFailure = new IllegalStateException("the cleanup is over");
      m.close();
    }
  }
}
