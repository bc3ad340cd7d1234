package io.ipcscope.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ipcscope.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class AgentBenchTest {

  @TempDir Path dir;

  @Test
  void figuresPairEachRunWithTheBaselineOfItsRound() {
    // round 2 ran on a machine twice as slow: each mode still loses 10 % and adds 100 ms in its own round
    assertThat(AgentBench.pairedLoss(List.of(90.0, 45.0, 90.0), List.of(100.0, 50.0, 100.0))).isCloseTo(10, within(1e-9));
    assertThat(AgentBench.pairedDifference(List.of(300.0, 500.0, 310.0), List.of(200.0, 400.0, 200.0))).isEqualTo(100);
    List<Double> ten = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
    assertThat(AgentBench.percentile(ten, 90)).isEqualTo(9);
    assertThat(AgentBench.percentile(List.of(5.0), 90)).isEqualTo(5);
    assertThat(AgentBench.percentile(List.of(3.0, 1.0, 2.0), 50)).isEqualTo(2);
  }

  @Test
  void theApplicationRunsFromAClassDirectoryOfItsOwn() throws Exception {
    Path classes = AgentBench.targetClasses(dir);
    try (var files = Files.walk(classes)) {
      assertThat(files.filter(Files::isRegularFile).map(p -> classes.relativize(p).toString()))
          .containsExactly("io/ipcscope/cli/bench/AgentBenchTarget.class");
    }
  }

  /** The build copies the OpenTelemetry Java agent from Maven Central beside the command line's classes. */
  @Test
  void theOpenTelemetryJavaAgentIsTheOneTheBuildCopied() throws Exception {
    Path otel = AgentBench.otelAgent(null);
    assertThat(otel.getFileName().toString()).startsWith("opentelemetry-javaagent-");
    try (JarFile jar = new JarFile(otel.toFile())) {
      assertThat(jar.getManifest().getMainAttributes().getValue("Premain-Class"))
          .isEqualTo("io.opentelemetry.javaagent.OpenTelemetryAgent");
    }
  }

  /**
   * The pipe workload through the real agent, which reports to the bench's collector stub: the bench checks that it
   * reported every write and every byte read, and fails when it did not.
   */
  @Test
  @Timeout(300)
  void throughputWithTheAgentReportingEveryOperationOfThePipeWorkload() {
    CliRun run = CliRun.of("bench", "agent", "--part", "throughput", "--workloads", "pipe", "--rounds", "1",
        "--echoes", "2000", "--warm-up-ms", "300", "--throughput-modes", "collector,none", "--cpu", "-1", "--agent-options", "queue=1000000");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("pipe      no agent", "pipe      ipcscope export=none")
        .containsPattern("(?m)^pipe      ipcscope -> collector stub .*pipe read \\d+, pipe write \\d+, process spawn 1"
            + "( \\(\\d+ summaries\\))?$")
        .doesNotContain("NOT the workload's")
        .containsPattern("(?m)^pipe      no agent +\\d+ +- +\\d+ +- ")
        .containsPattern("(?m)^pipe      ipcscope export=none +\\d+ +-?\\d+\\.\\d% +\\d+ +-?\\d+\\.\\d% ")
        .containsPattern("target: throughput loss <= 5 % \\(every workload and agent mode\\): (met|NOT met) "
            + "\\(worst -?\\d+\\.\\d %\\); by CPU: (met|NOT met) \\(worst -?\\d+\\.\\d %\\)");
  }

  @Test
  @Timeout(300)
  void startupOfEachModeToMainsEndAndToExit() {
    CliRun run = CliRun.of("bench", "agent", "--part", "startup", "--startup-runs", "1", "--no-otel");

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).containsPattern("(?m)^no agent +\\d+ +\\d+ +- +\\d+ +\\d+ +- +\\d+ +\\d+ +-$")
        .containsPattern("(?m)^ipcscope \\(defaults\\) +\\d+ +\\d+ +[+-]\\d+ ")
        .containsPattern("(?m)^ipcscope export=none +\\d+ +\\d+ +[+-]\\d+ ")
        .containsPattern("target: added startup <= 150 ms \\(ipcscope defaults, to main's end\\): (met|NOT met)");
  }
}
