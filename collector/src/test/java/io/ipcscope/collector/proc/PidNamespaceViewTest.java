package io.ipcscope.collector.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.Children;
import io.ipcscope.collector.RootOnly;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A real pid namespace, as a pod or container has one: {@code unshare --pid --fork --mount-proc} runs a shell as pid
 * 1 of a new namespace, with a background {@code sleep} as its pid 2; the view must name both as the host does.
 */
@ExtendWith(RootOnly.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PidNamespaceViewTest {

  private static final Path PROC = Path.of("/proc");
  private Process unshare;
  private Process entered;

  @AfterEach
  void stop() {
    if (entered != null) {
      entered.destroyForcibly();
    }
    if (unshare != null) {
      unshare.descendants().forEach(ProcessHandle::destroyForcibly);
      unshare.destroyForcibly();
    }
  }

  @Test
  void aProcessInItsOwnNamespaceIsPid1ThereAndItsThreadsAndNeighboursAreNamedAsWeSeeThem() throws Exception {
    int shell = startNamespace();
    int sleeper = Children.awaitFirst(shell);
    AtomicLong clock = new AtomicLong(1_000_000);

    PidNamespaceView view = PidNamespaceView.of(PROC, shell, clock::get).orElseThrow();

    assertThat(view.pid()).isEqualTo(shell);
    assertThat(view.ownPid()).isEqualTo(1);
    assertThat(view.sharesOurs()).isFalse();
    assertThat(view.thread(1)).hasValue(shell);
    assertThat(view.process(1)).hasValue(shell);
    assertThat(view.process(2)).hasValue(sleeper);
    assertThat(view.thread(2)).as("pid 2 is another process, not one of the shell's threads").isEmpty();

    // pid 3 does not exist yet: remembered as unknown for a second, however soon it appears
    assertThat(view.process(3)).isEmpty();
    entered = new ProcessBuilder("nsenter", "--target", Integer.toString(shell), "--pid", "--", "sleep", "60")
        .start();
    int third = Children.awaitFirst((int) entered.pid());
    assertThat(PidNamespaceView.nsPids(PROC.resolve(third + "/status"))).containsExactly(third, 3);
    assertThat(view.process(3)).isEmpty();
    clock.addAndGet(PidNamespaceView.UNKNOWN_FOR_MILLIS);
    assertThat(view.process(3)).hasValue(third);
  }

  @Test
  void aProcessOfOurOwnNamespaceNeedsNoTranslation() {
    int self = (int) ProcessHandle.current().pid();
    PidNamespaceView view = PidNamespaceView.of(PROC, self).orElseThrow();
    assertThat(view.sharesOurs()).isTrue();
    assertThat(view.ownPid()).isEqualTo(self);
    assertThat(view.thread(4_242)).hasValue(4_242);
    assertThat(view.process(77)).hasValue(77);
  }

  @Test
  void aProcessThatIsGoneHasNoView() throws Exception {
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    assertThat(PidNamespaceView.of(PROC, (int) done.pid())).isEmpty();
  }

  @Test
  void rescansAreLimitedWhateverIsAskedFor() throws Exception {
    int shell = startNamespace();
    AtomicLong clock = new AtomicLong(5_000);
    PidNamespaceView view = PidNamespaceView.of(PROC, shell, clock::get).orElseThrow();
    for (int id = 100; id < 100 + PidNamespaceView.RESCANS_PER_SECOND; id++) {
      assertThat(view.process(id)).isEmpty();
    }
    entered = new ProcessBuilder("nsenter", "--target", Integer.toString(shell), "--pid", "--", "sleep", "60")
        .start();
    int third = Children.awaitFirst((int) entered.pid());
    // the budget is spent: a pid never asked for before, live in the namespace, waits for the next second
    assertThat(view.process(3)).isEmpty();
    clock.addAndGet(1_000);
    assertThat(view.process(3)).hasValue(third);
  }

  /** Starts a shell as pid 1 of a new pid namespace, with a sleep as its pid 2; returns the shell's host pid. */
  private int startNamespace() throws Exception {
    unshare = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "sh", "-c",
        "sleep 60 & echo \"$$ $!\"; wait").start();
    BufferedReader out = new BufferedReader(new InputStreamReader(unshare.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).as("the shell's pid and its sleep's, as the namespace sees them").isEqualTo("1 2");
    return Children.awaitFirst((int) unshare.pid());
  }
}
