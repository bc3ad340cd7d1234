package io.ipcscope.probes;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Aggregate mode on the real objects: pipe reads and writes counted in the kernel, rows forgotten on request. */
@ExtendWith(KernelTestSupport.class)
class AggregateKernelTest {

  @BeforeEach
  void objectsCommitted() {
    TestObjects.requireCommitted("process.bpf.o", "syscalls.bpf.o");
  }

  @Test
  @Timeout(60)
  void headToCatIsCountedInTheKernelAndForgottenWhenAsked() throws Exception {
    ProbeConfig config = ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.PIPE)).aggregate(true).build();
    try (ProbeSession s = ProbeSession.open(config)) {
      Process p = new ProcessBuilder("sh", "-c", "head -c 100000 /dev/zero | cat >/dev/null").start();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      s.poll(e -> {}, 0);
      Map<AggKey, AggValue> rows = s.aggregates();
      List<AggKey> writes = rows.keySet().stream()
          .filter(k -> k.mechanism() == Mechanism.PIPE && k.op() == Operation.WRITE)
          .filter(k -> rows.get(k).bytes() == 100_000).toList();
      assertThat(writes).as("head's row among %s", rows).singleElement();
      AggKey head = writes.get(0);
      assertThat(rows.get(head).errors()).isZero();
      assertThat(rows.get(head).count()).isBetween(13L, 25L); // 4096- or 8192-byte writes and the remainder
      List<AggKey> reads = rows.keySet().stream()
          .filter(k -> k.op() == Operation.READ && k.channelId() == head.channelId()).toList();
      assertThat(reads).singleElement().satisfies(k -> assertThat(rows.get(k).bytes()).isEqualTo(100_000));

      assertThat(s.forgetAggregates(List.of(head, reads.get(0)))).isEqualTo(2);
      assertThat(s.aggregates()).doesNotContainKeys(head, reads.get(0));
      assertThat(s.forgetAggregates(List.of(head))).as("already gone").isZero();
    }
  }

  /**
   * More rows than a CPU has slots (256): rows share slots and are moved to agg_stats when another row takes their
   * slot, yet every operation is counted exactly once.
   */
  @Test
  @Timeout(120)
  void rowsThatShareSlotsAreCountedExactlyOnce(@TempDir Path dir) throws Exception {
    int pipelines = 400;
    // cat under a name of its own: another cat on the host (a build, a shell) would add rows
    Path cat = Files.copy(Path.of("/bin/cat"), dir.resolve("aggtestcat"));
    ProbeConfig config = ProbeConfig.builder().mechanisms(EnumSet.of(Mechanism.PIPE)).aggregate(true)
        .filterComm("aggtestcat").build();
    try (ProbeSession s = ProbeSession.open(config)) {
      Process p = new ProcessBuilder("sh", "-c",
          "i=0; while [ $i -lt " + pipelines + " ]; do printf abc | " + cat + " >/dev/null; i=$((i+1)); done")
          .start();
      assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
      Map<AggKey, AggValue> rows = s.aggregates();
      List<AggValue> reads = rows.entrySet().stream()
          .filter(r -> r.getKey().mechanism() == Mechanism.PIPE && r.getKey().op() == Operation.READ)
          .map(Map.Entry::getValue).toList();
      // each cat: one read of the 3 bytes and one of the end of file
      assertThat(reads).hasSize(pipelines).allSatisfy(v -> {
        assertThat(v.bytes()).isEqualTo(3);
        assertThat(v.count()).isEqualTo(2);
        assertThat(v.errors()).isZero();
      });
      assertThat(s.aggregates()).as("a second read finds the same totals").isEqualTo(rows);
    }
  }
}
