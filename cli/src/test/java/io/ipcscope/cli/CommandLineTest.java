package io.ipcscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The front door: help with examples everywhere, one-line errors with the right exit codes. */
class CommandLineTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "trace", "collect", "top", "status", "graph", "doctor", "demo", "bench", "bench pingpong", "bench drain", "bench replay", "bench collector", "bench memory", "bench live", "bench cpu", "bench top", "demo pipe"})
  void everyCommandHasHelpWithAnExample(String command) {
    String[] args = (command + " --help").trim().split(" ");
    CliRun r = CliRun.of(args);
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).containsIgnoringCase("example");
  }

  @Test
  void statusWithoutACollectorIsOneLineThatSaysHowToStartOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String socket = dir.resolve("none.sock").toString();
    CliRun r = CliRun.of("status", "--socket", socket);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().lines().toList()).containsExactly(
        "ipcscope: no collector at " + socket + ": start one with `sudo ipcscope collect` --socket " + socket);
  }

  @Test
  void graphFromACollectorTakesNoDuration() {
    CliRun r = CliRun.of("graph", "--socket", "/tmp/x.sock", "--duration", "3");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("ipcscope: --socket draws the running collector's graph: it takes no "
        + "--replay, --no-socket, --duration or command");
  }

  @Test
  void topWithoutATerminalSaysSoInOneLine() {
    CliRun r = CliRun.of("top"); // the test JVM has no console
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo(
        "ipcscope: ipcscope top needs a terminal: run it in one (for a log, use ipcscope trace)");
  }

  @Test
  void anUnknownFlagIsOneLineAndAHint() {
    CliRun r = CliRun.of("trace", "--frobnicate");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines().toList()).containsExactly(
        "ipcscope: Unknown option: '--frobnicate'",
        "Try 'ipcscope trace --help' for usage and examples.");
  }

  @Test
  void anUnknownMechanismListsTheValidOnes() {
    CliRun r = CliRun.of("trace", "--mechanism", "pipe,carrier-pigeon");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("unknown mechanism 'carrier-pigeon': valid ones are process, pipe, fifo, signal");
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void theLargestRingTheKernelMapsIsTheLargestAccepted() {
    CliRun r = CliRun.of("trace", "--ring-size", "1024");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("ipcscope: --ring-size must be a power of two in MiB from 1 to 512, not 1024");
  }

  @Test
  void recordingNeedsPerEventModeAndAWritablePath() {
    CliRun aggregate = CliRun.of("trace", "-w", "rec.bin", "--aggregate");
    assertThat(aggregate.exitCode()).isEqualTo(2);
    assertThat(aggregate.err().strip())
        .isEqualTo("ipcscope: -w records the per-event stream: it cannot be used with --aggregate");
    CliRun nowhere = CliRun.of("trace", "-w", "/nonexistent-dir/rec.bin");
    assertThat(nowhere.exitCode()).isEqualTo(2);
    assertThat(nowhere.err().strip())
        .isEqualTo("ipcscope: cannot write /nonexistent-dir/rec.bin: no such directory /nonexistent-dir");
  }

  @Test
  void replayingWhatIsNotARecordingIsSaidInOneLine(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path json = java.nio.file.Files.writeString(dir.resolve("events.jsonl"), "{\"ts\":1}\n");
    CliRun r = CliRun.of("trace", "--replay", json.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("ipcscope: " + json + " is not an ipcscope recording (it starts with 7b 22 74 73)");
    CliRun missing = CliRun.of("trace", "--replay", dir.resolve("nope.bin").toString());
    assertThat(missing.err().strip()).isEqualTo("ipcscope: cannot read " + dir.resolve("nope.bin") + ": no such file");
  }

  @Test
  void badNumbersAreSaidInOneLine() {
    CliRun r = CliRun.of("trace", "--ring-size", "3");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("ipcscope: --ring-size must be a power of two in MiB from 1 to 512, not 3");
  }

  /** A real unprivileged process (setpriv drops root), as a user without sudo would run it. */
  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void withoutCapabilitiesTraceSaysSoInOneLineAndExitsTwo() throws Exception {
    if (!ProcessHandle.current().info().user().orElse("").equals("root")) {
      String why = "dropping privileges needs root";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(why + " (CI=true: this test must run)");
      }
      org.junit.jupiter.api.Assumptions.abort(why);
    }
    String java = ProcessHandle.current().info().command().orElseThrow();
    // Still uid 0 (so it can read the class path), but with every capability gone from the bounding set.
    Process p = new ProcessBuilder(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-all", java, "-cp", System.getProperty("java.class.path"), Ipcscope.class.getName(), "trace"))
        .redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output.lines().filter(l -> !l.startsWith("WARNING")).toList()).singleElement().satisfies(line -> {
      assertThat(line).startsWith("ipcscope: ipcscope trace: privileges: ");
      assertThat(line).contains("run as root");
    });
  }
}
