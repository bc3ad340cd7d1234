package io.ipcscope.tui;

import static io.ipcscope.tui.Frames.PIPE;
import static io.ipcscope.tui.Frames.SECOND;
import static io.ipcscope.tui.Frames.edge;
import static io.ipcscope.tui.Frames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop on a virtual terminal (keys queued up front, polled) and on a stream terminal (keys read as they come, as
 * on a tty): whether the terminal is given back, how soon keys answer, and that nothing is drawn when nothing changed.
 */
@Timeout(20)
class TopAppTest {

  /** Hands out {@code frames} (then nothing new), each once; counts polls and draws (each draw describes it). */
  static final class CountingSource implements TopSource {
    final AtomicInteger polls = new AtomicInteger();
    final AtomicInteger draws = new AtomicInteger();
    final ConcurrentLinkedQueue<TopFrame> frames = new ConcurrentLinkedQueue<>();

    @Override
    public Optional<TopFrame> poll() {
      polls.incrementAndGet();
      return Optional.ofNullable(frames.poll());
    }

    @Override
    public String describe() {
      draws.incrementAndGet();
      return "test";
    }
  }

  /** Counts what the dashboard writes to its terminal. */
  static final class CountingStream extends OutputStream {
    final AtomicLong bytes = new AtomicLong();

    @Override
    public void write(int b) {
      bytes.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes.addAndGet(len);
    }
  }

  private static Future<Integer> start(ExecutorService pool, Terminal terminal, TopSource source, long refresh) {
    return pool.submit(() -> TopApp.run(terminal, source, refresh));
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(5);
    }
  }

  @Test
  void answersAKeyWhileWaitingForTheNextFrame() throws Exception {
    CountingSource source = new CountingSource();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (StreamTerminal terminal = StreamTerminal.open(new TerminalSize(100, 30), new CountingStream())) {
      Future<Integer> run = start(pool, terminal, source, 60_000); // the next frame is a minute away
      await(() -> source.draws.get() == 1, "the first draw");
      long typed = System.nanoTime();
      terminal.type("q");
      assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - typed)).isLessThan(Duration.ofSeconds(2));
      assertThat(source.polls.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void drawsOnlyWhenAFrameOrAKeyChangedSomething() throws Exception {
    CountingSource source = new CountingSource();
    source.frames.add(frame(SECOND, 0, edge(PIPE, 1, 100, SECOND)));
    CountingStream out = new CountingStream();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (StreamTerminal terminal = StreamTerminal.open(new TerminalSize(100, 30), out)) {
      Future<Integer> run = start(pool, terminal, source, 10);
      await(() -> source.polls.get() >= 20, "20 refreshes");
      assertThat(source.draws.get()).as("draws with one frame in 20 refreshes").isEqualTo(1);
      long written = out.bytes.get();
      int polls = source.polls.get();
      await(() -> source.polls.get() >= polls + 10, "10 more refreshes");
      assertThat(out.bytes.get()).as("bytes written while nothing changed").isEqualTo(written);

      terminal.type("s"); // another sort: the same frame drawn in another order
      await(() -> source.draws.get() == 2, "the draw after a key");
      source.frames.add(frame(2 * SECOND, 10, edge(PIPE, 2, 200, 2 * SECOND)));
      await(() -> source.draws.get() == 3, "the draw of a new frame");

      terminal.type("p"); // paused: new frames change nothing on screen
      await(() -> source.draws.get() == 4, "the draw that shows PAUSED");
      source.frames.add(frame(3 * SECOND, 20, edge(PIPE, 3, 300, 3 * SECOND)));
      await(source.frames::isEmpty, "the paused dashboard to take the frame");
      int taken = source.polls.get();
      await(() -> source.polls.get() >= taken + 5, "5 more refreshes");
      assertThat(source.draws.get()).as("draws while paused").isEqualTo(4);

      terminal.type("q");
      assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void endOfInputQuits() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      StreamTerminal terminal = StreamTerminal.open(new TerminalSize(100, 30), new CountingStream());
      CountingSource source = new CountingSource();
      Future<Integer> run = start(pool, terminal, source, 60_000);
      await(() -> source.draws.get() == 1, "the first draw");
      terminal.close();
      assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void redrawsOnAResizeWithoutWaitingForTheNextFrame() throws Exception {
    RecordingTerminal terminal = new RecordingTerminal();
    CountingSource source = new CountingSource();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> run = start(pool, terminal, source, 60_000);
      await(() -> source.draws.get() == 1, "the first draw");
      terminal.setTerminalSize(new TerminalSize(100, 30));
      await(() -> source.draws.get() == 2, "the draw after the resize");
      assertThat(terminal.getBufferCharacter(99, 29)).isNotNull();
      terminal.addInput(new KeyStroke('q', false, false));
      assertThat(run.get(10, TimeUnit.SECONDS)).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Remembers whether the screen left the alternate buffer, which is what restores the user's terminal. */
  static final class RecordingTerminal extends DefaultVirtualTerminal {
    boolean restored;

    RecordingTerminal() {
      super(new TerminalSize(80, 24));
    }

    @Override
    public synchronized void exitPrivateMode() {
      restored = true;
      super.exitPrivateMode();
    }
  }

  @Test
  void quitsOnQAndRestoresTheTerminal() throws IOException {
    RecordingTerminal terminal = new RecordingTerminal();
    AtomicInteger polls = new AtomicInteger();
    TopSource source = new TopSource() {
      @Override
      public Optional<TopFrame> poll() {
        int n = polls.incrementAndGet();
        return Optional.of(frame(n * SECOND, 0, edge(PIPE, n, 100L * n, n * SECOND)));
      }

      @Override
      public String describe() {
        return "test";
      }
    };
    terminal.addInput(new KeyStroke(KeyType.Tab));
    terminal.addInput(new KeyStroke('q', false, false));
    assertThat(TopApp.run(terminal, source, 10)).isZero();
    assertThat(polls.get()).isPositive();
    assertThat(terminal.restored).isTrue();
  }

  @Test
  void restoresTheTerminalWhenTheSourceFails() {
    RecordingTerminal terminal = new RecordingTerminal();
    TopSource failing = new TopSource() {
      @Override
      public Optional<TopFrame> poll() {
        throw new IllegalStateException("collector socket closed");
      }

      @Override
      public String describe() {
        return "test";
      }
    };
    assertThatThrownBy(() -> TopApp.run(terminal, failing, 10)).hasMessage("collector socket closed");
    assertThat(terminal.restored).isTrue();
  }
}
