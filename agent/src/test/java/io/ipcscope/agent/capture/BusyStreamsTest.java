package io.ipcscope.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BusyStreamsTest {

  private static final long SECOND = 1_000_000_000L;

  private final ChannelRef pipe = new ChannelRef(new FileDescriptor(), "pipe", "pipe:[4711]", 77, false,
      "ipc.stream", "stdin");
  private final List<String> summaries = new ArrayList<>();
  private final BusyStreams.SummarySink sink = (op, count) -> summaries.add(count + " x " + op.operation + " "
      + op.channel + " bytes=" + op.bytes + " peer=" + op.peerPid + " " + op.startNanos + ".." + op.endNanos + " "
      + op.attribute("ipc.stream"));

  private static BusyStreams folding(int detail) {
    BusyStreams busy = new BusyStreams(detail, SECOND, new TraceContexts());
    busy.folding(true);
    return busy;
  }

  @Test
  void theFirstDetailTransfersOfAWindowGoOutTheRestAreSummarisedOnceTheWindowIsOver() {
    BusyStreams busy = folding(2);
    List<IpcOp> singles = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      IpcOp op = busy.admit(pipe, "write", 77, 10 * i, 100 * i, 100 * i + 50);
      if (op != null) {
        singles.add(op);
      }
    }
    assertThat(singles).extracting(o -> o.bytes).containsExactly(10L, 20L);
    assertThat(singles.get(0).tid).isEqualTo(NativeThreads.current()).isPositive();
    assertThat(singles.get(0).attribute("ipc.stream")).isEqualTo("stdin");

    busy.closeWindows(600, false, sink);
    assertThat(summaries).as("the window is still open").isEmpty();
    busy.closeWindows(SECOND + BusyStreams.LATE_NANOS, false, sink);
    assertThat(summaries).containsExactly("3 x write pipe:[4711] bytes=120 peer=77 300..550 stdin");
    busy.closeWindows(3 * SECOND, false, sink);
    assertThat(summaries).as("said once").hasSize(1);
  }

  @Test
  void aTransferInTheNextWindowClosesTheLastOneAtOnce() {
    BusyStreams busy = folding(1);
    assertThat(busy.admit(pipe, "read", 77, 5, 10, 20)).isNotNull();
    assertThat(busy.admit(pipe, "read", 77, 5, 30, 40)).isNull();
    assertThat(busy.admit(pipe, "read", 77, -1, 50, 60)).as("the end of the stream, folded").isNull();
    assertThat(busy.admit(pipe, "read", 77, 7, SECOND + 10, SECOND + 20)).as("the next window's first").isNotNull();
    assertThat(busy.admit(pipe, "read", 77, 7, SECOND + 30, SECOND + 40)).isNull();

    busy.closeWindows(SECOND + 50, false, sink);
    assertThat(summaries).containsExactly("2 x read pipe:[4711] bytes=5 peer=77 30..60 stdin");
    busy.closeWindows(SECOND + 60, true, sink);
    assertThat(summaries).containsExactly("2 x read pipe:[4711] bytes=5 peer=77 30..60 stdin",
        "1 x read pipe:[4711] bytes=7 peer=77 1000000030..1000000040 stdin");
  }

  @Test
  void foldedTransfersThatMovedNoBytesHaveNone() {
    BusyStreams busy = folding(0);
    assertThat(busy.admit(pipe, "read", 77, -1, 10, 20)).isNull();
    assertThat(busy.admit(pipe, "read", 77, -1, 30, 40)).isNull();
    busy.closeWindows(50, true, sink);
    assertThat(summaries).containsExactly("2 x read pipe:[4711] bytes=-1 peer=77 10..40 stdin");
  }

  @Test
  void beforeFoldingIsOnOrWithDetailAllEveryTransferGoesOut() {
    BusyStreams off = new BusyStreams(0, SECOND, new TraceContexts()); // until the exporter is known to take summaries
    BusyStreams all = folding(Integer.MAX_VALUE);
    for (int i = 0; i < 1000; i++) {
      assertThat(off.admit(pipe, "write", 77, 1, i, i + 1)).isNotNull();
      assertThat(all.admit(pipe, "write", 77, 1, i, i + 1)).isNotNull();
    }
    off.closeWindows(10 * SECOND, true, sink);
    all.closeWindows(10 * SECOND, true, sink);
    assertThat(summaries).isEmpty();
  }

  @Test
  void streamsAreTheirThreadsAndGoWithThem() throws Exception {
    BusyStreams busy = folding(1);
    AtomicReference<Integer> tid = new AtomicReference<>();
    Thread worker = new Thread(() -> {
      tid.set(NativeThreads.current());
      busy.admit(pipe, "write", 77, 1, 10, 20);
      busy.admit(pipe, "write", 77, 2, 30, 40);
    });
    assertThat(busy.admit(pipe, "write", 77, 4, 50, 60)).as("this thread's own stream").isNotNull();
    worker.start();
    worker.join();
    List<IpcOp> ops = new ArrayList<>();
    busy.closeWindows(100, false, (op, count) -> ops.add(op));
    assertThat(ops).as("the ended thread's window, at once").singleElement()
        .satisfies(op -> assertThat(op.tid).isEqualTo(tid.get()).isNotEqualTo(NativeThreads.current()))
        .satisfies(op -> assertThat(op.bytes).isEqualTo(2));
    busy.closeWindows(SECOND * 10, true, (op, count) -> ops.add(op));
    assertThat(ops).hasSize(1);
  }

  /** The export thread reads while the application's thread folds: every transfer and byte is counted once. */
  @Test
  void countsReadWhileFoldingAddUpExactly() throws Exception {
    BusyStreams busy = folding(0);
    int transfers = 2_000_000;
    Thread app = new Thread(() -> {
      for (int i = 0; i < transfers; i++) {
        busy.admit(pipe, "write", 77, i % 7, i, i + 1); // all in window 0
      }
    });
    long[] totals = new long[3];
    BusyStreams.SummarySink add = (op, count) -> {
      totals[0] += count;
      totals[1] += op.bytes;
      totals[2]++;
    };
    app.start();
    while (app.isAlive()) {
      busy.closeWindows(0, true, add);
    }
    busy.closeWindows(0, true, add);
    long bytes = 0;
    for (int i = 0; i < transfers; i++) {
      bytes += i % 7;
    }
    assertThat(totals[0]).isEqualTo(transfers);
    assertThat(totals[1]).isEqualTo(bytes);
    assertThat(totals[2]).as("summaries taken while folding").isGreaterThan(1);
  }

  /**
   * Threads that fold and end while the export thread reads: a thread's last folds, made between a read and the
   * export thread seeing it ended, must not be forgotten with its stream.
   */
  @Test
  void countsOfThreadsThatEndWhileReadAddUpExactly() throws Exception {
    BusyStreams busy = folding(0);
    int threads = 400;
    int transfers = 5_000;
    long[] totals = new long[1];
    Thread starter = new Thread(() -> {
      for (int t = 0; t < threads; t++) {
        Thread app = new Thread(() -> {
          for (int i = 0; i < transfers; i++) {
            busy.admit(pipe, "write", 77, 1, i, i + 1);
          }
        });
        app.start();
        try {
          app.join();
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    starter.start();
    while (starter.isAlive()) {
      busy.closeWindows(0, false, (op, count) -> totals[0] += count);
    }
    busy.closeWindows(0, true, (op, count) -> totals[0] += count);
    assertThat(totals[0]).isEqualTo((long) threads * transfers);
  }
}
