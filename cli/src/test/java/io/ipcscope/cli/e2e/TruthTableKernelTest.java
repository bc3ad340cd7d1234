package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.demo.Workload;
import io.ipcscope.demo.Workloads;
import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.GroundTruthJson;
import io.ipcscope.probes.KernelTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every demo workload under the real tracer, compared with its own ground truth: recall and precision must be 100%
 * on every mechanism. The table is printed and written to target/FIDELITY.md (docs/FIDELITY.md is a copy of it).
 */
@ExtendWith(KernelTestSupport.class)
class TruthTableKernelTest {

  private static final List<Fidelity.Row> ROWS = new ArrayList<>();

  @TempDir Path dir;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void everyWorkloadIsSeenExactlyAsItsGroundTruthSays() throws Exception {
    List<String> failures = new ArrayList<>();
    for (Workload workload : Workloads.all()) {
      Path truthFile = dir.resolve(workload.name() + ".truth.json");
      List<JsonNode> events;
      Path workDir = Files.createDirectories(dir.resolve(workload.name()));
      // A queue's send names its receiver once the receive is seen: under `all` a consumer JVM can start seconds after
      // its producer's first sends, so the window a send waits for its receive (--peer-wait) must cover that.
      try (TracerProcess tracer = TracerProcess.start(workDir, "--posix-semaphores", "--peer-wait", "5000")) {
        List<String> cmd = new ArrayList<>(TracerProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
        cmd.addAll(List.of("demo", workload.name(), "--messages", "20", "--size", "100", "--truth",
            truthFile.toString(), "--quiet"));
        Process demo = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(demo.waitFor(120, TimeUnit.SECONDS)).as("demo %s ends", workload.name()).isTrue();
        assertThat(demo.exitValue()).as("demo %s exit code", workload.name()).isZero();
        events = tracer.stop();
      }
      GroundTruth truth = GroundTruthJson.read(truthFile);
      List<Fidelity.Row> rows = Fidelity.compare(truth, events);
      assertThat(rows).as("%s declares something to compare", workload.name()).isNotEmpty();
      ROWS.addAll(rows);
      rows.forEach(r -> r.problems().forEach(p -> failures.add(workload.name() + "/" + r.mechanism() + ": " + p)));
      if (rows.stream().anyMatch(r -> !r.problems().isEmpty())) {
        keepForDiagnosis(workload.name(), workDir.resolve("trace.jsonl"), truthFile);
      }
    }
    assertThat(failures).as("differences between the kernel's view and the ground truth").isEmpty();
    assertThat(ROWS).allSatisfy(r -> {
      assertThat(r.recall()).isEqualTo(1.0);
      assertThat(r.precision()).isEqualTo(1.0);
    });
  }

  /** A workload that differs from its truth leaves its trace and truth in target/truth-failures/NAME/ to look at. */
  private static void keepForDiagnosis(String workload, Path trace, Path truth) throws java.io.IOException {
    Path keep = Files.createDirectories(Path.of("target", "truth-failures", workload));
    Files.copy(trace, keep.resolve("trace.jsonl"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(truth, keep.resolve("truth.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  @AfterAll
  static void writeTable() throws Exception {
    if (ROWS.isEmpty()) {
      return;
    }
    String table = Fidelity.table(ROWS);
    System.out.println(table);
    Files.writeString(Path.of("target", "FIDELITY.md"), table);
  }
}
