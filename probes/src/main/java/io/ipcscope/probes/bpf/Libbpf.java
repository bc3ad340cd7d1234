package io.ipcscope.probes.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Process-wide libbpf state: the version, the CPU count, and libbpf's log, routed into java.util.logging at FINE (logger
 * {@code io.ipcscope.probes.libbpf}) while the last lines are kept so a failure can quote libbpf's or the verifier's
 * reason.
 */
public final class Libbpf {
  private static final Logger LOG = Logger.getLogger("io.ipcscope.probes.libbpf");
  private static final int KEPT_LINES = 400;
  private static final int FORMAT_BUF = 1 << 20;

  private static final Object LOCK = new Object();
  private static final ArrayDeque<String> RECENT = new ArrayDeque<>();
  private static long linesSeen;
  private static Memory formatBuf;
  /** Held for the life of the process: libbpf keeps the function pointer. */
  private static final LibbpfNative.PrintFn PRINT = Libbpf::onPrint;

  private static final boolean INSTALLED;

  static {
    LibbpfNative.INSTANCE.libbpf_set_print(PRINT);
    INSTALLED = true;
  }

  private Libbpf() {}

  static LibbpfNative lib() {
    return INSTALLED ? LibbpfNative.INSTANCE : null;
  }

  /** Loads libbpf.so.1 and installs the log callback; throws {@link UnsatisfiedLinkError} when it cannot. */
  public static void ensureLoaded() {
    lib();
  }

  /** The libbpf version, e.g. {@code "1.1"}. */
  public static String version() {
    return lib().libbpf_major_version() + "." + lib().libbpf_minor_version();
  }

  /** The library file loaded, symlinks resolved (its name carries the patch version: libbpf.so.1.1.2). */
  public static String libraryFile() {
    lib();
    try {
      java.io.File f = com.sun.jna.NativeLibrary.getInstance("libbpf.so.1").getFile();
      return f == null ? "libbpf.so.1" : f.toPath().toRealPath().toString();
    } catch (java.io.IOException | RuntimeException e) {
      return "libbpf.so.1";
    }
  }

  public static int numPossibleCpus() {
    int n = lib().libbpf_num_possible_cpus();
    if (n < 0) {
      throw new BpfException("libbpf_num_possible_cpus", -n);
    }
    return n;
  }

  /**
   * The CPUs online now, from /sys/devices/system/cpu/online ("0-3,6"); [0 .. possible) when it cannot be read.
   */
  public static int[] onlineCpus() {
    try {
      String list = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/online")).trim();
      return parseCpuList(list);
    } catch (java.io.IOException | RuntimeException e) {
      return java.util.stream.IntStream.range(0, numPossibleCpus()).toArray();
    }
  }

  /** Parses a kernel CPU list such as "0-3,6". */
  static int[] parseCpuList(String list) {
    java.util.stream.IntStream.Builder cpus = java.util.stream.IntStream.builder();
    for (String part : list.split(",")) {
      String[] range = part.trim().split("-");
      int from = Integer.parseInt(range[0]);
      int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
      for (int cpu = from; cpu <= to; cpu++) {
        cpus.add(cpu);
      }
    }
    return cpus.build().toArray();
  }

  /** libbpf's text for an errno or LIBBPF_ERRNO__ code; never throws. */
  public static String strerror(int errno) {
    try {
      byte[] buf = new byte[256];
      lib().libbpf_strerror(Math.abs(errno), buf, buf.length);
      int n = 0;
      while (n < buf.length && buf[n] != 0) {
        n++;
      }
      return new String(buf, 0, n, StandardCharsets.UTF_8);
    } catch (Throwable t) {
      return "errno " + Math.abs(errno);
    }
  }

  /** A position in the log: pass it to {@link #logSince(long)} to get what libbpf said after it. */
  public static long logMark() {
    synchronized (LOCK) {
      return linesSeen;
    }
  }

  /** The kept log lines printed after {@code mark}, joined with newlines. */
  public static String logSince(long mark) {
    synchronized (LOCK) {
      long first = linesSeen - RECENT.size();
      StringBuilder sb = new StringBuilder();
      long i = first;
      for (String line : RECENT) {
        if (i++ >= mark) {
          sb.append(line).append('\n');
        }
      }
      return sb.toString();
    }
  }

  /** The last {@code n} kept log lines. */
  public static List<String> recentLog(int n) {
    synchronized (LOCK) {
      List<String> all = new ArrayList<>(RECENT);
      return List.copyOf(all.subList(Math.max(0, all.size() - n), all.size()));
    }
  }

  /**
   * The one line of a libbpf log that best says why something failed: the verifier's last complaint, else libbpf's
   * first "failed to"/"invalid"/"not found" line, without the "libbpf: " prefix.
   */
  public static String mostTellingLine(String log) {
    if (log == null || log.isBlank()) {
      return "";
    }
    String[] lines = log.split("\n");
    String verifier = "";
    boolean inVerifierLog = false;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.contains("-- BEGIN PROG LOAD LOG --")) {
        inVerifierLog = true;
      } else if (line.contains("-- END PROG LOAD LOG --")) {
        inVerifierLog = false;
      } else if (inVerifierLog && !line.isEmpty() && !line.startsWith("processed ")
          && !line.startsWith("verification time") && !line.startsWith("stack depth")) {
        verifier = line;
      }
    }
    if (!verifier.isEmpty()) {
      return "verifier: " + verifier;
    }
    for (String raw : lines) {
      String line = raw.strip();
      if (line.contains("failed to find") || line.contains("not found") || line.contains("invalid")
          || line.contains("failed to create") || line.contains("failed to attach") || line.contains("doesn't exist")) {
        return line.replaceFirst("^libbpf: ", "");
      }
    }
    for (String raw : lines) {
      String line = raw.strip();
      if (line.contains("failed")) {
        return line.replaceFirst("^libbpf: ", "");
      }
    }
    return "";
  }

  private static int onPrint(int level, String format, Pointer vaList) {
    try {
      boolean debug = level >= 2;
      Level jul = debug ? Level.FINER : Level.FINE;
      if (debug && !LOG.isLoggable(jul)) {
        return 0;
      }
      String text;
      synchronized (LOCK) {
        if (formatBuf == null) {
          formatBuf = new Memory(FORMAT_BUF);
        }
        int n = LibcNative.INSTANCE.vsnprintf(formatBuf, FORMAT_BUF, format, vaList);
        text = n < 0 ? format : formatBuf.getString(0, StandardCharsets.UTF_8.name());
        for (String line : text.split("\n")) {
          if (!line.isEmpty() && !debug) {
            RECENT.addLast(line);
            linesSeen++;
            if (RECENT.size() > KEPT_LINES) {
              RECENT.removeFirst();
            }
          }
        }
      }
      if (LOG.isLoggable(jul)) {
        LOG.log(jul, text.stripTrailing());
      }
    } catch (Throwable t) {
      // never throw into libbpf
    }
    return 0;
  }
}
