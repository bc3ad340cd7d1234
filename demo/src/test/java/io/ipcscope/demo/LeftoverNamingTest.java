package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How a leftover's name leads back to its demo, and how its owner is judged: no processes, no root. */
class LeftoverNamingTest {

  private static final Instant MADE = Instant.parse("2025-01-01T10:00:00Z");

  @Test
  void aSysvKeyGivesBackThePidItWasMadeFrom() {
    assertThat(SysvMqWorkload.key(41394)).isEqualTo(0x4900a1b2);
    assertThat(SysvMqWorkload.demoPid(SysvMqWorkload.key(41394))).hasValue(41394);
    assertThat(SysvMqWorkload.demoPid(SysvMqWorkload.key(4194304))).hasValue(4194304); // pid_max
    assertThat(SysvMqWorkload.demoPid(0x4900a1b2 | 0x10000000)).isEmpty();
    assertThat(SysvMqWorkload.demoPid(0x48001234)).isEmpty();
    assertThat(SysvMqWorkload.demoPid(0x49000000)).isEmpty();
    assertThat(SysvMqWorkload.demoPid(0)).isEmpty();
    assertThatThrownBy(() -> SysvMqWorkload.key(0x01000000)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPosixQueueNameGivesBackThePidItWasMadeFrom() {
    assertThat(PosixMqWorkload.demoPid(PosixMqWorkload.queueName(41394))).hasValue(41394);
    for (String other : List.of("/ipcscope-demo-", "/ipcscope-demo-12x", "/ipcscope-demo-012", "/other-12",
        "ipcscope-demo-12", "/ipcscope-demo-12345678901")) {
      assertThat(PosixMqWorkload.demoPid(other)).as(other).isEqualTo(OptionalLong.empty());
    }
  }

  @Test
  void anOwnerIsJudgedByWhetherItRunsIsAJvmAndStartedBeforeTheObject() {
    List<String> demo = List.of("/usr/bin/java", "-cp", "x", DemoCommand.class.getName(), "fifo");
    List<String> embedded = List.of("/usr/bin/java", "-jar", "surefirebooter.jar");
    assertThat(new Owner(7, false, null, List.of(), false).judge(MADE))
        .isEqualTo(new Owner.Verdict(true, "its demo (pid 7) is gone"));
    assertThat(new Owner(7, true, MADE.minusSeconds(60), List.of("sleep", "60"), false).judge(MADE))
        .isEqualTo(new Owner.Verdict(true, "pid 7 is now sleep 60, not an ipcscope demo"));
    assertThat(new Owner(7, true, MADE.plusSeconds(3), demo, true).judge(MADE).leftOver()).isTrue();
    assertThat(new Owner(7, true, MADE.plusSeconds(3), demo, true).judge(MADE).reason())
        .startsWith("pid 7 is now another process (/usr/bin/java -cp x io.ipcscope.demo.DemoCommand f")
        .endsWith("), started after it");
    // Within the clock's slack, or before: it may have made it.
    assertThat(new Owner(7, true, MADE.plusSeconds(1), demo, true).judge(MADE))
        .isEqualTo(new Owner.Verdict(false, "its demo (pid 7) is running"));
    assertThat(new Owner(7, true, MADE.minusSeconds(5), List.of("java", "-jar", "ipcscope.jar", "demo", "pipe"), true)
        .judge(MADE)).isEqualTo(new Owner.Verdict(false, "its demo (pid 7) is running"));
    assertThat(new Owner(7, true, MADE.minusSeconds(5), embedded, true).judge(MADE))
        .isEqualTo(new Owner.Verdict(false,
            "pid 7 (/usr/bin/java -jar surefirebooter.jar) is a JVM older than it: its demo may run there"));
    assertThat(new Owner(7, true, null, demo, true).judge(MADE).leftOver()).isFalse();
  }

  @Test
  void theOwnerOfThisJvmAndOfAFinishedProcessAreReadFromProc() throws Exception {
    Owner self = Owner.of(ProcessHandle.current().pid());
    assertThat(self.running()).isTrue();
    assertThat(self.jvm()).isTrue();
    assertThat(self.started()).isBefore(Instant.now());
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    assertThat(Owner.of(p.pid()).running()).isFalse();
  }

  @Test
  void theSummaryCountsWhatWasRemovedKeptAndFailed() {
    assertThat(Cleanup.summary(0, 0, 0)).isEqualTo("cleanup: nothing left over");
    assertThat(Cleanup.summary(1, 0, 0)).isEqualTo("cleanup: 1 object removed");
    assertThat(Cleanup.summary(3, 1, 0)).isEqualTo("cleanup: 3 objects removed, 1 kept (its demo is running)");
    assertThat(Cleanup.summary(0, 2, 1))
        .isEqualTo("cleanup: nothing left over, 2 kept (their demos are running); 1 problem (see above)");
  }

  @Test
  void cleanupGoesAlone() {
    for (String[] args : List.of(new String[] {"--cleanup", "fifo"}, new String[] {"--list", "--cleanup"})) {
      Demo demo = Demo.run(args);
      assertThat(demo.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(demo.err().lines().toList()).as(demo.err()).hasSize(1);
      assertThat(demo.out()).isEmpty();
    }
  }
}
