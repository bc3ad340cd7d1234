package io.ipcscope.cli.bench;

import io.ipcscope.cli.Preflight;
import io.ipcscope.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The busiest live load the project has: {@code demo all} flat out (every mechanism at once, a dozen JVMs on the
 * host's cores) under {@code trace -o /dev/null} (the baseline) and then under {@code collect} as it runs by default
 * (spans serialized to /dev/null), each a real process with its default ring. Prints events seen and lost.
 */
@Command(
    name = "live",
    mixinStandardHelpOptions = true,
    description = {"demo all at its highest rate under trace (baseline) and under collect: events seen and lost."},
    footer = {"", "Example:", "  sudo ipcscope bench live --messages 5000"})
public final class LiveBench implements Callable<Integer> {

  @Option(names = "--messages", defaultValue = "5000", description = "Records each workload sends (default: "
      + "${DEFAULT-VALUE}).")
  int messages;

  private record Outcome(String name, long events, long lost, double seconds) {}

  private static final Pattern TRACE_SUMMARY = Pattern.compile("ipcscope: (\\d+) events in [\\d.]+ s .*lost (\\d+)");
  private static final Pattern COLLECT_SUMMARY = Pattern.compile("ipcscope: (\\d+) events, ");
  private static final Pattern COLLECT_LOST = Pattern.compile("ipcscope: (\\d+) events lost");

  @Override
  public Integer call() throws Exception {
    if (messages <= 0) {
      throw new UserError("--messages must be positive");
    }
    Preflight.requireTracingAllowed("ipcscope bench live");
    Path dir = Files.createTempDirectory("ipcscope-bench-live");
    List<String> demo = List.of("--", "sh", "-c", String.join(" ", self()) + " demo all -q --messages " + messages);
    List<Outcome> outcomes = new ArrayList<>();
    outcomes.add(run("trace -o /dev/null", dir, concat(List.of("trace", "-o", "/dev/null"), demo), TRACE_SUMMARY,
        null));
    outcomes.add(run("collect (defaults)", dir, concat(List.of("collect", "--no-socket", "-o", "/dev/null"), demo),
        COLLECT_SUMMARY, COLLECT_LOST));
    System.out.printf("live: demo all -q --messages %d, flat out%n", messages);
    System.out.printf("%-22s %12s %10s %10s %12s%n", "TRACER", "EVENTS", "LOST", "SECONDS", "EVENTS/S");
    for (Outcome o : outcomes) {
      System.out.printf("%-22s %,12d %,10d %10.1f %,12.0f%n", o.name(), o.events(), o.lost(), o.seconds(),
          o.events() / o.seconds());
    }
    Outcome collect = outcomes.get(1);
    System.out.printf("target: collect loses nothing: %s%n", collect.lost() == 0 ? "met" : "NOT met");
    return 0;
  }

  private static List<String> self() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-XX:+UseSerialGC", "-Xmn16m", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), "io.ipcscope.cli.Ipcscope");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(self());
    all.addAll(a);
    all.addAll(b);
    return all;
  }

  private static Outcome run(String name, Path dir, List<String> command, Pattern events, Pattern lost)
      throws IOException, InterruptedException {
    Path err = dir.resolve(name.replaceAll("\\W+", "-") + ".err");
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(err.toFile()).start();
    if (!p.waitFor(600, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new UserError(name + " did not finish within 10 minutes", UserError.EXIT_FAILURE);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String text = Files.readString(err, StandardCharsets.UTF_8);
    Matcher m = events.matcher(text);
    if (!m.find()) {
      throw new UserError(name + " printed no summary; its stderr is in " + err, UserError.EXIT_FAILURE);
    }
    long seen = Long.parseLong(m.group(1));
    long missed;
    if (lost == null) {
      missed = Long.parseLong(m.group(2));
    } else {
      Matcher l = lost.matcher(text);
      missed = l.find() ? Long.parseLong(l.group(1)) : 0;
    }
    return new Outcome(name, seen, missed, seconds);
  }
}
