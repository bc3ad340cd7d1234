package io.ipcscope.cli.bench;

import io.ipcscope.cli.AgentJar;
import io.ipcscope.cli.UserError;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Java agent's cost to the application it is attached to, against the same application without it (and, for
 * start-up, with the OpenTelemetry Java agent), all run in this invocation with the modes interleaved: each round
 * runs every mode once, so a machine whose speed drifts shifts all of them together, and every figure is the median
 * over rounds of a mode against the baseline of its own round.
 */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "The Java agent's cost to an application, against the same JVM without it, modes interleaved:",
      "start-up (a JVM that starts one child process; also against the OpenTelemetry Java agent), and",
      "throughput of an IPC-bound loop: echoes through a child's pipes (cat) and over a Unix socket.",
      "Needs no root."
    },
    footer = {"", "Examples:", "  ipcscope bench agent",
        "  ipcscope bench agent --part startup --startup-runs 21",
        "  ipcscope bench agent --part throughput --rounds 9 --java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java"})
public final class AgentBench implements Callable<Integer> {

  static final double STARTUP_TARGET_MS = 150;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
  static final double LOSS_TARGET_PERCENT = 5;
  private static final long EXIT_TIMEOUT_SECONDS = 120;

  enum Part { startup, throughput, all }

  @Option(names = "--part", defaultValue = "all", description = "startup, throughput or all (default: ${DEFAULT-VALUE}).")
  Part part;

  @Option(names = "--startup-runs", defaultValue = "11", description = "Start-ups of each mode (default: ${DEFAULT-VALUE}).")
  int startupRuns;

  @Option(names = "--rounds", defaultValue = "7", description = "Throughput runs of each mode (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--echoes", defaultValue = "100000", description = "Measured echoes per run (default: ${DEFAULT-VALUE}).")
  int echoes;

  @Option(names = "--warm-up-ms", defaultValue = "5000", description = "Milliseconds of echoes before measuring, per "
      + "run: the JIT compiles what start-up queued, the agent's code among it (default: ${DEFAULT-VALUE}).")
  long warmUpMillis;

  @Option(names = "--size", defaultValue = "64", description = "Bytes per echo (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--workloads", split = ",", defaultValue = "pipe,unix",
      description = "Throughput workloads: pipe (a cat child), unix (a Unix-domain SocketChannel) (default: ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(names = "--throughput-modes", split = ",", defaultValue = "collector,none",
      description = "Agent modes for throughput besides no agent: collector (exporting to a collector stub), none "
          + "(export=none), otlp-nowhere (the defaults with no collector and no OTLP endpoint) "
          + "(default: ${DEFAULT-VALUE}).")
  List<String> throughputModes;

  @Option(names = "--agent-options", defaultValue = "",
      description = "Added to the agent's argument in every mode, e.g. queue=1000000 (default: none).")
  String agentOptions;

  @Option(names = "--no-otel", description = "Skip the OpenTelemetry Java agent in the start-up comparison.")
  boolean noOtel;

  @Option(names = "--java", description = "The java to run the application with (default: this one's).")
  Path java;

  @Option(names = "--agent-jar", description = "ipcscope-agent.jar (default: found beside this jar or in the checkout).")
  Path agentJar;

  @Option(names = "--otel-agent-jar",
      description = "The OpenTelemetry Java agent (default: the one the build copied to cli/target/bench/).")
  Path otelAgentJar;

  @Option(names = "--cpu", description = "Pin the throughput workload (the JVM and its peer) to this CPU; -1: do not "
      + "pin (default: the last CPU, when there are two or more and taskset is installed).")
  Integer cpu;

  /** One way of starting the application: its JVM options and environment. */
  record Mode(String name, List<String> jvmOptions, Map<String, String> environment) {}

  /** What one start-up measured, in nanoseconds: until main printed its last line, its CPU by then, until exit. */
  record Startup(long toMainEnd, long cpu, long toExit) {}

  @Override
  public Integer call() throws Exception {
    if (startupRuns <= 0 || rounds <= 0 || echoes <= 0 || warmUpMillis < 0 || size <= 0) {
      throw new UserError("--startup-runs, --rounds, --echoes and --size must be positive");
    }
    Path agent = AgentJar.locate(agentJar);
    Path otel = noOtel || part == Part.throughput ? null : otelAgent(otelAgentJar);
    String javaCommand = java != null ? java.toString() : ProcessHandle.current().info().command().orElse("java");
    Path scratch = Files.createTempDirectory("ipcscope-bench-agent");
    try {
      Path classes = targetClasses(scratch);
      PrintWriter out = spec.commandLine().getOut();
      out.printf("agent: %s, application on %s (%s)%n", agent, javaCommand, javaVersion(javaCommand));
      out.flush();
      boolean valid = true;
      if (part != Part.throughput) {
        startup(out, javaCommand, classes, startupModes(agent, otel, scratch));
      }
      if (part != Part.startup) {
        valid = throughput(out, javaCommand, classes, agent, scratch);
      }
      return valid ? 0 : 1;
    } finally {
      try (Stream<Path> files = Files.walk(scratch)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** {@code -javaagent:JAR[=OPTIONS]}: the mode's options and --agent-options. */
  private String agentArg(Path agent, String options) {
    String all = options.isEmpty() ? agentOptions : agentOptions.isEmpty() ? options : options + "," + agentOptions;
    return "-javaagent:" + agent + (all.isEmpty() ? "" : "=" + all);
  }

  // ---- start-up

  /**
   * No agent; ours with its defaults, with export=none, and with cache=off (what the first JVM of a JDK build pays,
   * weaving with Byte Buddy); and the OpenTelemetry Java agent. The cache is a fresh directory of the scratch space,
   * filled by the unmeasured first round.
   */
  List<Mode> startupModes(Path agent, Path otel, Path scratch) throws IOException {
    // Nothing runs at either place: what a user gets with no collector and no OTLP endpoint.
    Map<String, String> nowhere = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closedPort(),
        "IPCSCOPE_AGENT_SOCKET", scratch.resolve("no-collector.sock").toString(),
        "IPCSCOPE_AGENT_CACHE", scratch.resolve("agent-cache").toString());
    List<Mode> modes = new ArrayList<>();
    modes.add(new Mode("no agent", List.of(), nowhere));
    modes.add(new Mode("ipcscope (defaults)", List.of(agentArg(agent, "")), nowhere));
    modes.add(new Mode("ipcscope export=none", List.of(agentArg(agent, "export=none")), nowhere));
    modes.add(new Mode("ipcscope cache=off", List.of(agentArg(agent, "cache=off")), nowhere));
    if (otel != null) {
      modes.add(new Mode("otel javaagent (defaults)", List.of("-javaagent:" + otel), nowhere));
      Map<String, String> quiet = new LinkedHashMap<>(nowhere);
      quiet.putAll(Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none"));
      modes.add(new Mode("otel javaagent, exporters none", List.of("-javaagent:" + otel), quiet));
    }
    return modes;
  }

  private void startup(PrintWriter out, String javaCommand, Path classes, List<Mode> modes) throws Exception {
    out.printf("%nstartup: a JVM whose main starts `true`, waits for it and prints; %d runs of each mode, interleaved"
        + " (after one unmeasured round)%n", startupRuns);
    out.flush();
    Map<String, List<Startup>> runs = new LinkedHashMap<>();
    for (int round = -1; round < startupRuns; round++) {
      for (Mode mode : modes) {
        Startup s = startOnce(javaCommand, classes, mode);
        if (round >= 0) {
          runs.computeIfAbsent(mode.name(), k -> new ArrayList<>()).add(s);
        }
      }
    }
    out.printf("%-31s %26s %26s %26s%n", "", "TO MAIN'S END (ms)", "CPU BY THEN (ms)", "TO EXIT (ms)");
    out.printf("%-31s %26s %26s %26s%n", "MODE", "median   p90   added", "median   p90   added",
        "median   p90   added");
    List<Startup> base = runs.get(modes.get(0).name());
    runs.forEach((mode, list) -> out.printf("%-31s %s %s %s%n", mode,
        column(list, base, Startup::toMainEnd), column(list, base, Startup::cpu), column(list, base, Startup::toExit)));
    double added = pairedDifference(nanos(runs.get("ipcscope (defaults)"), Startup::toMainEnd),
        nanos(base, Startup::toMainEnd)) / 1e6;
    out.printf("added = median over rounds of (mode - no agent) of the same round%n");
    out.printf("target: added startup <= %.0f ms (ipcscope defaults, to main's end): %s (%.0f ms)%n",
        STARTUP_TARGET_MS, added <= STARTUP_TARGET_MS ? "met" : "NOT met", added);
    out.flush();
  }

  private static String column(List<Startup> runs, List<Startup> base, java.util.function.ToLongFunction<Startup> f) {
    List<Double> values = nanos(runs, f);
    return String.format("%8.0f %5.0f %7s", median(values) / 1e6, percentile(values, 90) / 1e6,
        runs == base ? "-" : String.format("%+.0f", pairedDifference(values, nanos(base, f)) / 1e6));
  }

  private static List<Double> nanos(List<Startup> runs, java.util.function.ToLongFunction<Startup> f) {
    return runs.stream().map(s -> (double) f.applyAsLong(s)).toList();
  }

  private static Startup startOnce(String javaCommand, Path classes, Mode mode) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(javaCommand);
    command.addAll(mode.jvmOptions());
    command.addAll(List.of("-cp", classes.toString(), AgentBenchTarget.class.getName(), "startup"));
    Path stderr = classes.resolveSibling("stderr-" + System.nanoTime());
    long start = System.nanoTime();
    Process p = start(command, mode, stderr);
    long mainEnd = 0;
    long cpu = -1;
    try (BufferedReader lines = reader(p.getInputStream())) {
      for (String line; (line = lines.readLine()) != null; ) {
        if (line.startsWith("main-end ")) {
          mainEnd = System.nanoTime() - start;
          cpu = Long.parseLong(line.substring(9).trim());
        }
      }
    }
    finish(p, mode, stderr);
    if (cpu < 0) {
      throw new UserError("startup run (" + mode.name() + ") printed no main-end line", UserError.EXIT_FAILURE);
    }
    return new Startup(mainEnd, cpu, System.nanoTime() - start);
  }

  // ---- throughput

  private boolean throughput(PrintWriter out, String javaCommand, Path classes, Path agent, Path scratch)
      throws Exception {
    int pinned = cpu != null ? cpu
        : Runtime.getRuntime().availableProcessors() > 1 && ExternalTracer.installed("taskset")
            ? Runtime.getRuntime().availableProcessors() - 1 : -1;
    out.printf("%nthroughput: %d-byte echoes, %d ms of warm-up then %d measured per run, %d rounds of each mode,"
        + " interleaved; %s%n", size, warmUpMillis, echoes, rounds,
        pinned >= 0 ? "the application and its peer pinned to CPU " + pinned + " (the agent's thread too)"
            : "not pinned");
    boolean valid = true;
    boolean dropsSeen = false;
    try (AgentCollectorStub stub = new AgentCollectorStub(scratch.resolve("collector.sock"))) {
      Map<String, String> nowhere = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closedPort(),
          "IPCSCOPE_AGENT_SOCKET", scratch.resolve("no-collector.sock").toString());
      List<Mode> modes = new ArrayList<>();
      modes.add(new Mode("no agent", List.of(), nowhere));
      for (String m : throughputModes) {
        modes.add(switch (m) {
          case "collector" -> new Mode("ipcscope -> collector stub",
              List.of(agentArg(agent, "socket=" + stub.path())), nowhere);
          case "none" -> new Mode("ipcscope export=none", List.of(agentArg(agent, "export=none")), nowhere);
          case "otlp-nowhere" -> new Mode("ipcscope, OTLP to nowhere", List.of(agentArg(agent, "")), nowhere);
          default -> throw new UserError("unknown throughput mode '" + m + "': collector, none, otlp-nowhere");
        });
      }
      out.printf("%-9s %-27s %13s %7s %14s %8s  %-58s %s%n", "WORKLOAD", "MODE", "ECHOES/S(med)", "LOSS",
          "CPU NS/ECHO", "CPU LOSS", "RUNS (echoes/s)", "WHAT THE AGENT SENT (last run)");
      out.flush();
      List<Double> losses = new ArrayList<>();
      List<Double> cpuLosses = new ArrayList<>();
      for (String workload : workloads) {
        if (!workload.equals("pipe") && !workload.equals("unix")) {
          throw new UserError("unknown workload '" + workload + "': pipe, unix");
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> cpuRates = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
          for (Mode mode : modes) {
            List<String> command = new ArrayList<>();
            if (pinned >= 0) {
              command.addAll(List.of("taskset", "-c", Integer.toString(pinned)));
            }
            command.add(javaCommand);
            command.addAll(mode.jvmOptions());
            command.addAll(List.of("-cp", classes.toString(), AgentBenchTarget.class.getName(), workload,
                Long.toString(warmUpMillis), Integer.toString(echoes), Integer.toString(size)));
            Path stderr = scratch.resolve("stderr-" + System.nanoTime());
            Process p = start(command, mode, stderr);
            long elapsed = -1;
            long cpuNanos = -1;
            long done = -1;
            try (BufferedReader lines = reader(p.getInputStream())) {
              for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("elapsed ")) {
                  elapsed = Long.parseLong(line.substring(8).trim());
                } else if (line.startsWith("cpu ")) {
                  cpuNanos = Long.parseLong(line.substring(4).trim());
                } else if (line.startsWith("echoes ")) {
                  done = Long.parseLong(line.substring(7).trim());
                }
              }
            }
            finish(p, mode, stderr);
            if (elapsed <= 0 || cpuNanos <= 0) {
              throw new UserError(workload + " run (" + mode.name() + ") printed no elapsed or cpu line",
                  UserError.EXIT_FAILURE);
            }
            rates.computeIfAbsent(mode.name(), k -> new ArrayList<>()).add(echoes * 1e9 / elapsed);
            cpuRates.computeIfAbsent(mode.name(), k -> new ArrayList<>()).add(echoes * 1e9 / cpuNanos);
            if (mode.name().contains("collector")) {
              String note = checkSent(stub, p.pid(), workload, done);
              valid &= !note.contains("NOT");
              dropsSeen |= note.contains("; dropped ");
              notes.put(mode.name(), note);
            }
          }
        }
        List<Double> base = rates.get("no agent");
        List<Double> cpuBase = cpuRates.get("no agent");
        rates.forEach((mode, list) -> {
          List<Double> cpuList = cpuRates.get(mode);
          String loss = "-";
          String cpuLoss = "-";
          if (list != base) {
            double l = pairedLoss(list, base);
            double c = pairedLoss(cpuList, cpuBase);
            losses.add(l);
            cpuLosses.add(c);
            loss = String.format("%.1f%%", l);
            cpuLoss = String.format("%.1f%%", c);
          }
          out.printf("%-9s %-27s %13.0f %7s %14.0f %8s  %-58s %s%n", workload, mode, median(list), loss,
              1e9 / median(cpuList), cpuLoss, Arrays.toString(list.stream().mapToLong(Math::round).toArray()),
              notes.getOrDefault(mode, ""));
        });
        out.flush();
      }
      double worst = losses.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      double worstCpu = cpuLosses.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      out.printf("loss = median over rounds of (1 - mode / no agent of the same round), of echoes per second of the"
          + " wall clock; cpu loss the same of echoes per second of CPU, the CPU time of the application's threads"
          + " and its peer's while measured, whatever else ran on their CPU%n");
      out.printf("target: throughput loss <= %.0f %% (every workload and agent mode): %s (worst %.1f %%); by CPU: %s"
          + " (worst %.1f %%)%n", LOSS_TARGET_PERCENT, verdict(worst), worst, verdict(worstCpu), worstCpu);
    }
    if (!valid) {
      out.println("the agent did not report every operation of the workload: the figures above measure an agent "
          + "that did not do its work");
    }
    if (dropsSeen) {
      out.println("the agent dropped operations: its export thread fell behind and its queue overflowed (counted in "
          + "its marks); --agent-options queue=N enlarges it");
    }
    out.flush();
    return valid;
  }

  /**
   * What the agent of {@code pid} sent the stub; for the pipe workload, checked against what the workload did: one
   * write per echo and every byte read back, or, when its queue overflowed, every write either sent or counted as
   * dropped. A note with NOT in it: the agent did not see the workload, and its figures are not the agent's cost.
   */
  private String checkSent(AgentCollectorStub stub, long pid, String workload, long total)
      throws InterruptedException {
    AgentCollectorStub.Sent sent = stub.of(pid);
    if (sent == null) {
      return "NOT connected to the stub";
    }
    if (!sent.awaitClosed(10_000)) {
      return "NOT finished sending 10 s after exit: " + sent.summary();
    }
    long dropped = sent.dropped();
    String note = sent.summary() + (dropped > 0 ? "; dropped " + dropped : "");
    if (workload.equals("pipe")) {
      long writes = sent.count("pipe", "write");
      boolean exact = writes == total && sent.bytes("pipe", "read") == total * size;
      boolean accounted = writes <= total && writes + dropped >= total;
      if (dropped == 0 ? !exact : !accounted) {
        return note + " (NOT the workload's " + total + " writes and " + total * size + " bytes read)";
      }
    }
    return note;
  }

  // ---- processes

  private static Process start(List<String> command, Mode mode, Path stderr) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("IPCSCOPE_AGENT_") || k.equals("JAVA_TOOL_OPTIONS")
        || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS"));
    env.putAll(mode.environment());
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }

  /** Waits for the exit; a JVM that failed is reported with the end of its stderr. */
  private static void finish(Process p, Mode mode, Path stderr) throws Exception {
    try {
      if (!p.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new UserError(mode.name() + ": the application did not exit in " + EXIT_TIMEOUT_SECONDS + " s",
            UserError.EXIT_FAILURE);
      }
      if (p.exitValue() != 0) {
        String err = Files.readString(stderr);
        throw new UserError(mode.name() + ": the application exited with " + p.exitValue() + ": "
            + err.substring(Math.max(0, err.length() - 2000)).trim(), UserError.EXIT_FAILURE);
      }
    } finally {
      Files.deleteIfExists(stderr);
    }
  }

  private static BufferedReader reader(InputStream in) {
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
  }

  /** A loopback port nothing listens on: bound, then closed. */
  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The target's one class file, alone in a class directory: the application's class path. */
  static Path targetClasses(Path scratch) throws IOException {
    String resource = AgentBenchTarget.class.getName().replace('.', '/') + ".class";
    Path file = scratch.resolve("classes").resolve(resource);
    Files.createDirectories(file.getParent());
    try (InputStream in = AgentBenchTarget.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no " + resource + " in this jar");
      }
      Files.copy(in, file);
    }
    return scratch.resolve("classes");
  }

  /**
   * The OpenTelemetry Java agent: the one named, else the one the build copied from Maven Central next to this
   * command line's jar or classes ({@code cli/target/bench/opentelemetry-javaagent-VERSION.jar}).
   */
  static Path otelAgent(Path given) throws IOException {
    if (given != null) {
      if (!Files.isRegularFile(given)) {
        throw new UserError("OpenTelemetry Java agent " + given + ": no such file");
      }
      return given;
    }
    Path code = Paths.get(System.getProperty("ipcscope.bench.dir", ""));
    Path dir = code.toString().isEmpty() ? benchDir() : code;
    if (dir != null && Files.isDirectory(dir)) {
      try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "opentelemetry-javaagent*.jar")) {
        for (Path jar : jars) {
          return jar;
        }
      }
    }
    throw new UserError("no OpenTelemetry Java agent in " + dir + " (the build copies it there from Maven Central):"
        + " name one with --otel-agent-jar, or leave it out with --no-otel");
  }

  /** {@code cli/target/bench}, beside the command line's jar ({@code cli/target/ipcscope.jar}) or classes. */
  private static Path benchDir() {
    try {
      var source = AgentBench.class.getProtectionDomain().getCodeSource();
      Path code = Paths.get(source.getLocation().toURI());
      return code.getParent().resolve("bench");
    } catch (Exception e) {
      return null;
    }
  }

  private static String javaVersion(String javaCommand) {
    Path release = Paths.get(javaCommand).toAbsolutePath().getParent();
    release = release == null ? null : release.resolveSibling("release");
    try {
      if (release != null && Files.isRegularFile(release)) {
        for (String line : Files.readAllLines(release)) {
          if (line.startsWith("JAVA_RUNTIME_VERSION=") || line.startsWith("JAVA_VERSION=")) {
            return "java " + line.substring(line.indexOf('=') + 1).replace("\"", "");
          }
        }
      }
    } catch (IOException e) {
      // fall through
    }
    return "java " + System.getProperty("java.runtime.version");
  }

  // ---- statistics

  static double median(List<Double> values) {
    return PingPongBench.median(values);
  }

  /** Nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
  static double percentile(List<Double> values, int p) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static String verdict(double lossPercent) {
    return lossPercent <= LOSS_TARGET_PERCENT ? "met" : "NOT met";
  }

  /** The median over rounds of {@code runs[i] - base[i]}. */
  static double pairedDifference(List<Double> runs, List<Double> base) {
    List<Double> d = new ArrayList<>();
    for (int i = 0; i < runs.size() && i < base.size(); i++) {
      d.add(runs.get(i) - base.get(i));
    }
    return median(d);
  }

  /** The median over rounds of {@code 1 - rate[i] / base[i]}, in %. */
  static double pairedLoss(List<Double> rates, List<Double> base) {
    List<Double> d = new ArrayList<>();
    for (int i = 0; i < rates.size() && i < base.size(); i++) {
      d.add(100 * (1 - rates.get(i) / base.get(i)));
    }
    return median(d);
  }
}
