package io.ipcscope.agent.bench;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the JMH benchmarks of this package in forked JVMs without the agent and with it ({@code export=none}: the
 * application thread's cost alone), each benchmark without then with, for {@code --rounds} rounds, and prints ns/op
 * of each and what the agent adds (the median over rounds of with minus without).
 *
 * <p>{@code ./mvnw -B -Pjmh -pl agent package -DskipTests -Djmh.args="--rounds 3"}; any other arguments are JMH's
 * own ({@code -f 1 -wi 3 -i 3}, {@code -jvm /usr/lib/jvm/temurin-25-jdk-amd64/bin/java}, a benchmark regex).
 */
public final class AgentJmh {

  private static final List<Class<?>> BENCHMARKS = List.of(InstrumentedCalls.class, ChildSpawn.class);

  private AgentJmh() {}

  public static void main(String[] args) throws Exception {
    List<String> words = Arrays.stream(args).flatMap(a -> Arrays.stream(a.trim().split("\\s+")))
        .filter(w -> !w.isEmpty()).collect(Collectors.toCollection(ArrayList::new));
    int rounds = 1;
    String agentArgs = "export=none";
    for (int i = 0; i < words.size(); ) {
      if (words.get(i).equals("--rounds")) {
        rounds = Integer.parseInt(words.get(i + 1));
        words.subList(i, i + 2).clear();
      } else if (words.get(i).equals("--agent-args")) {
        agentArgs = words.get(i + 1);
        words.subList(i, i + 2).clear();
      } else {
        i++;
      }
    }
    Path jar = Paths.get(System.getProperty("ipcscope.agent.jar", "agent/target/ipcscope-agent.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no agent jar at " + jar + ": build it first (./mvnw -pl agent package)");
    }
    keepAgentClassesOffTheForksClassPath();
    CommandLineOptions parsed = new CommandLineOptions(words.toArray(new String[0]));
    List<String> names = benchmarks(parsed.getIncludes());
    // each run includes its one benchmark: JMH would add the command line's regexes to it and run them all
    words.removeAll(parsed.getIncludes());
    CommandLineOptions cli = new CommandLineOptions(words.toArray(new String[0]));

    Map<String, List<double[]>> without = new LinkedHashMap<>();
    Map<String, List<double[]>> with = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (String name : names) {
        without.computeIfAbsent(name, k -> new ArrayList<>()).add(run(cli, name, null));
        with.computeIfAbsent(name, k -> new ArrayList<>())
            .add(run(cli, name, "-javaagent:" + jar.toAbsolutePath() + (agentArgs.isEmpty() ? "" : "=" + agentArgs)));
      }
    }
    System.out.printf("%nagent: %s=%s, %d round(s), each benchmark without then with the agent%n", jar, agentArgs,
        rounds);
    System.out.printf("%-34s %18s %18s %14s  %s%n", "BENCHMARK", "NO AGENT ns/op", "AGENT ns/op", "ADDED ns/op",
        "ROUNDS (no agent / agent)");
    for (String name : names) {
      List<double[]> a = without.get(name);
      List<double[]> b = with.get(name);
      List<Double> added = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        added.add(b.get(i)[0] - a.get(i)[0]);
      }
      System.out.printf("%-34s %18s %18s %14.1f  %s%n", name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1),
          score(a), score(b), median(added), rounds(a) + " / " + rounds(b));
    }
    System.out.println("ns/op: median over rounds (± JMH's 99.9% error of that round); added: median over rounds of "
        + "agent - no agent");
  }

  /** Score and error of one benchmark in forked JVMs, with {@code jvmArg} added to theirs when not null. */
  private static double[] run(CommandLineOptions cli, String benchmark, String jvmArg) throws Exception {
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cli).include("^" + Pattern.quote(benchmark) + "$");
    if (jvmArg != null) {
      options.jvmArgsAppend(jvmArg);
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    RunResult result = results.stream().filter(r -> r.getParams().getBenchmark().equals(benchmark)).findFirst()
        .orElseThrow(() -> new IllegalStateException("JMH ran no " + benchmark));
    return new double[] {result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()};
  }

  /** Every benchmark method of this package matching the includes (all when none are given). */
  private static List<String> benchmarks(List<String> includes) {
    List<String> names = new ArrayList<>();
    for (Class<?> type : BENCHMARKS) {
      for (Method m : type.getDeclaredMethods()) {
        String name = type.getName() + "." + m.getName();
        if (m.isAnnotationPresent(Benchmark.class)
            && (includes.isEmpty() || includes.stream().anyMatch(r -> Pattern.compile(r).matcher(name).find()))) {
          names.add(name);
        }
      }
    }
    names.sort(null);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no benchmark matches " + includes);
    }
    return names;
  }

  /**
   * The forks get this JVM's class path (JMH reads java.class.path), which holds the agent module's own classes,
   * unrelocated: they would shadow the jar's when the agent loads. The benchmarks need none of them.
   */
  private static void keepAgentClassesOffTheForksClassPath() {
    String own = System.getProperty("ipcscope.agent.classes");
    if (own == null) {
      return;
    }
    Path ownPath = Paths.get(own).toAbsolutePath().normalize();
    String kept = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !Paths.get(e).toAbsolutePath().normalize().equals(ownPath))
        .collect(Collectors.joining(File.pathSeparator));
    System.setProperty("java.class.path", kept);
  }

  private static String score(List<double[]> rounds) {
    List<double[]> sorted = new ArrayList<>(rounds);
    sorted.sort((x, y) -> Double.compare(x[0], y[0]));
    double[] mid = sorted.get((sorted.size() - 1) / 2);
    return String.format("%.1f ± %.1f", mid[0], mid[1]);
  }

  private static String rounds(List<double[]> rounds) {
    return rounds.stream().map(r -> String.format("%.1f", r[0])).collect(Collectors.joining(" "));
  }

  private static double median(List<Double> values) {
    double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
