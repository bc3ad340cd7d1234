package io.ipcscope.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What a child JVM knows: its workload and role, the run's pacing, extra arguments, and where to
 * report its counts. The command line is {@code DemoChild WORKLOAD ROLE MESSAGES SIZE RATE
 * DEADLINE_EPOCH_MS RESULT_FILE|- EXTRA...}; {@link Run#startChild} writes it.
 */
public final class ChildContext {

  /** Exit status of a child that saw its parent go away. */
  static final int ORPHANED = 70;

  private static final int FIXED_ARGS = 7;

  private final String workload;
  private final String role;
  private final int messages;
  private final int size;
  private final double rate;
  private final long deadlineEpochMillis;
  private final /* @Nullable */ Path resultFile;
  private final List<String> extra;
  private final Map<String, Long> report = new LinkedHashMap<>();

  private ChildContext(String[] args) {
    if (args.length < FIXED_ARGS) {
      throw new IllegalArgumentException(
          "usage: DemoChild WORKLOAD ROLE MESSAGES SIZE RATE DEADLINE_EPOCH_MS RESULT_FILE [EXTRA...], got "
              + Arrays.toString(args));
    }
    workload = args[0];
    role = args[1];
    messages = Integer.parseInt(args[2]);
    size = Integer.parseInt(args[3]);
    rate = Double.parseDouble(args[4]);
    deadlineEpochMillis = Long.parseLong(args[5]);
    resultFile = args[6].equals("-") ? null : Path.of(args[6]);
    extra = List.of(args).subList(FIXED_ARGS, args.length);
  }

  static ChildContext parse(String[] args) {
    return new ChildContext(args);
  }

  static List<String> arguments(
      String workload, String role, Settings settings, long deadlineEpochMillis, /* @Nullable */ Path resultFile) {
    return List.of(
        workload,
        role,
        Integer.toString(settings.messages()),
        Integer.toString(settings.size()),
        Double.toString(settings.rate()),
        Long.toString(deadlineEpochMillis),
        resultFile == null ? "-" : resultFile.toString());
  }

  public String workload() {
    return workload;
  }

  public String role() {
    return role;
  }

  public int size() {
    return size;
  }

  /** The run's --messages (ignored by workloads in continuous mode). */
  public int messages() {
    return messages;
  }

  /** The run's --rate, records per second; 0 = as fast as possible. */
  public double rate() {
    return rate;
  }

  /** The n-th extra argument the parent passed after the fixed ones. */
  public String arg(int n) {
    if (n >= extra.size()) {
      throw new IllegalArgumentException(workload + "/" + role + ": missing extra argument " + n);
    }
    return extra.get(n);
  }

  /** A pacer with the run's message count, rate and deadline. */
  public Pacer pacer() {
    return new Pacer(messages, rate, deadlineEpochMillis);
  }

  /**
   * Halts this JVM when stdin reaches EOF, i.e. when the parent closes it or dies. Only for
   * children whose stdin carries no workload data; the parent never writes to it.
   */
  public void exitWhenParentGone() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                InputStream in = System.in;
                while (in.read() != -1) {
                  // The parent writes nothing; just wait for EOF.
                }
              } catch (IOException ignored) {
                // Same as EOF.
              }
              Runtime.getRuntime().halt(ORPHANED);
            },
            "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /** Adds a count to the report the parent reads after this child exits. */
  public synchronized void report(String key, long value) {
    report.put(key, value);
  }

  /** Writes the report (a properties file, renamed into place) if the parent asked for one. */
  synchronized void writeReport() throws IOException {
    if (resultFile == null) {
      return;
    }
    Properties props = new Properties();
    report.forEach((k, v) -> props.setProperty(k, Long.toString(v)));
    Path tmp = resultFile.resolveSibling(resultFile.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp)) {
      props.store(w, workload + "/" + role);
    }
    Files.move(tmp, resultFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
