package io.ipcscope.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.agent.capture.IpcOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamFolderTest {

  private static final long SECOND = 1_000_000_000L;
  private static final int DETAIL = 100;
  private static final String[] PIPE = {"ipc.child.command", "cat", "ipc.stream", "stdin"};
  private static final IpcOp.Parent FIRST_PARENT =
      new IpcOp.Parent("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", true);

  private final StreamFolder folder = new StreamFolder(DETAIL, SECOND);
  private final List<OpSummary> closed = new ArrayList<>();

  /** Operation i of a write stream: starts at {@code base + 1000 i}, 500 ns long, {@code i % 7} bytes. */
  private static IpcOp write(long base, int i, IpcOp.Parent parent) {
    long start = base + 1000L * i;
    return new IpcOp("pipe", "write", "pipe:[4711]", i % 7, 4250, 4243, start, start + 500, parent, PIPE);
  }

  /** Admits the operations and returns those that go out by themselves. */
  private List<IpcOp> admit(List<IpcOp> ops) {
    List<IpcOp> singles = new ArrayList<>();
    for (IpcOp op : ops) {
      if (folder.admit(op, closed)) {
        singles.add(op);
      }
    }
    return singles;
  }

  @Test
  void theFirstDetailOperationsOfAWindowGoOutAndTheRestIsOneSummary() {
    List<IpcOp> ops = new ArrayList<>();
    int k = 4900;
    for (int i = 0; i < DETAIL + k; i++) {
      ops.add(write(10 * SECOND, i, i == DETAIL ? FIRST_PARENT : null));
    }

    List<IpcOp> singles = admit(ops);

    assertThat(singles).containsExactlyElementsOf(ops.subList(0, DETAIL));
    assertThat(closed).isEmpty(); // the window is still open
    folder.closeWindows(11 * SECOND + StreamFolder.LATE_NANOS - 1, closed);
    assertThat(closed).isEmpty(); // operations of it may still be on their way
    folder.closeWindows(11 * SECOND + StreamFolder.LATE_NANOS, closed);

    assertThat(closed).hasSize(1);
    OpSummary s = closed.get(0);
    long bytes = 0;
    for (int i = DETAIL; i < DETAIL + k; i++) {
      bytes += i % 7;
    }
    assertThat(s.count).isEqualTo(k);
    assertThat(s.op.bytes).isEqualTo(bytes).isEqualTo(14_700);
    assertThat(s.op.startNanos).isEqualTo(10 * SECOND + 1000L * DETAIL);
    assertThat(s.op.endNanos).isEqualTo(10 * SECOND + 1000L * (DETAIL + k - 1) + 500);
    assertThat(s.op.mechanism).isEqualTo("pipe");
    assertThat(s.op.operation).isEqualTo("write");
    assertThat(s.op.channel).isEqualTo("pipe:[4711]");
    assertThat(s.op.tid).isEqualTo(4243);
    assertThat(s.op.peerPid).isEqualTo(4250);
    assertThat(s.op.parent).isSameAs(FIRST_PARENT); // the first folded operation's
    assertThat(s.op.attribute("ipc.child.command")).isEqualTo("cat");
    assertThat(s.op.attribute("ipc.stream")).isEqualTo("stdin");
    assertThat(folder.streams()).isZero(); // forgotten with its window
  }

  @Test
  void aStreamIsChannelThreadMechanismAndOperation() {
    List<IpcOp> ops = new ArrayList<>();
    long t = 5 * SECOND;
    for (int i = 0; i < DETAIL + 3; i++) {
      ops.add(new IpcOp("pipe", "write", "pipe:[1]", 1, 0, 10, t + i, t + i, null));
      ops.add(new IpcOp("pipe", "read", "pipe:[1]", 2, 0, 10, t + i, t + i, null));
      ops.add(new IpcOp("pipe", "write", "pipe:[2]", 3, 0, 10, t + i, t + i, null));
      ops.add(new IpcOp("pipe", "write", "pipe:[1]", 4, 0, 11, t + i, t + i, null));
      ops.add(new IpcOp("fifo", "write", "pipe:[1]", 5, 0, 10, t + i, t + i, null));
    }

    assertThat(admit(ops)).hasSize(5 * DETAIL);
    folder.closeAll(closed);

    assertThat(closed).hasSize(5).allSatisfy(s -> assertThat(s.count).isEqualTo(3));
    assertThat(closed.stream().mapToLong(s -> s.op.bytes).sorted()).containsExactly(3L, 6L, 9L, 12L, 15L);
  }

  @Test
  void equalNamesAreOneStreamEvenAsDifferentStrings() {
    StreamFolder all = new StreamFolder(0, SECOND);
    long t = 80 * SECOND;
    for (int i = 0; i < 10; i++) { // new strings each time, and other streams between them
      all.admit(new IpcOp(new String("pipe"), new String("write"), new String("pipe:[7]"), 1, 0, 3, t + i, t + i,
          null), closed);
      all.admit(new IpcOp("pipe", "read", "pipe:[" + i + "]", 1, 0, 3, t + i, t + i, null), closed);
    }
    all.closeAll(closed);

    assertThat(closed).filteredOn(s -> s.op.operation.equals("write")).singleElement()
        .satisfies(s -> assertThat(s.count).isEqualTo(10));
    assertThat(closed).filteredOn(s -> s.op.operation.equals("read")).hasSize(10);
  }

  @Test
  void theNextWindowStartsAfreshAndThePreviousSummaryClosesOnceItsWindowIsOverByLate() {
    long w1 = 20 * SECOND;
    long w2 = 21 * SECOND;
    List<IpcOp> first = new ArrayList<>();
    for (int i = 0; i < DETAIL + 10; i++) {
      first.add(write(w1, i, null));
    }
    List<IpcOp> second = new ArrayList<>();
    for (int i = 0; i < DETAIL + 20; i++) {
      second.add(write(w2, i, null));
    }

    assertThat(admit(first)).hasSize(DETAIL);
    assertThat(closed).isEmpty();
    List<IpcOp> singles = admit(second);

    assertThat(singles).containsExactlyElementsOf(second.subList(0, DETAIL)); // a full budget again
    assertThat(closed).as("the first window's stays open for a thread's summary on its way").isEmpty();
    folder.closeWindows(w2 + StreamFolder.LATE_NANOS - 1, closed);
    assertThat(closed).isEmpty();
    folder.closeWindows(w2 + StreamFolder.LATE_NANOS, closed);
    assertThat(closed).hasSize(1);
    assertThat(closed.get(0).count).isEqualTo(10);
    assertThat(closed.get(0).op.startNanos).isEqualTo(w1 + 1000L * DETAIL);
    assertThat(closed.get(0).op.endNanos).isEqualTo(w1 + 1000L * (DETAIL + 9) + 500);

    folder.closeWindows(22 * SECOND + StreamFolder.LATE_NANOS, closed);
    assertThat(closed).hasSize(2);
    assertThat(closed.get(1).count).isEqualTo(20);
    assertThat(closed.get(1).op.startNanos).isEqualTo(w2 + 1000L * DETAIL);
  }

  @Test
  void closeAllFlushesEveryOpenSummaryAtStop() {
    List<IpcOp> ops = new ArrayList<>();
    for (int i = 0; i < DETAIL + 7; i++) {
      ops.add(write(30 * SECOND, i, null));
    }
    admit(ops);
    folder.closeWindows(30 * SECOND + 1, closed);
    assertThat(closed).isEmpty();

    folder.closeAll(closed);

    assertThat(closed).hasSize(1);
    assertThat(closed.get(0).count).isEqualTo(7);
    assertThat(folder.streams()).isZero();
    folder.closeAll(closed);
    assertThat(closed).hasSize(1); // nothing twice
  }

  @Test
  void aStreamWithinItsBudgetMakesNoSummary() {
    List<IpcOp> ops = new ArrayList<>();
    for (int i = 0; i < DETAIL; i++) {
      ops.add(write(40 * SECOND, i, null));
    }

    assertThat(admit(ops)).hasSize(DETAIL);
    folder.closeAll(closed);

    assertThat(closed).isEmpty();
  }

  @Test
  void detailZeroFoldsEveryOperation() {
    StreamFolder all = new StreamFolder(0, SECOND);
    for (int i = 0; i < 5; i++) {
      assertThat(all.admit(write(50 * SECOND, i, null), closed)).isFalse();
    }
    all.closeAll(closed);

    assertThat(closed).hasSize(1);
    assertThat(closed.get(0).count).isEqualTo(5);
    assertThat(closed.get(0).op.bytes).isEqualTo(0 + 1 + 2 + 3 + 4);
  }

  @Test
  void onlyWhatEveryFoldedOperationSharesIsKept() {
    StreamFolder all = new StreamFolder(0, SECOND);
    long t = 60 * SECOND;
    all.admit(new IpcOp("udp", "send", "socket:[9]", 10, 7, 1, t, t + 1, null,
        "network.transport", "udp", "network.peer.port", "5000"), closed);
    all.admit(new IpcOp("udp", "send", "socket:[9]", 20, 7, 1, t + 2, t + 3, null,
        "network.transport", "udp", "network.peer.port", "5001"), closed);
    all.admit(new IpcOp("udp", "send", "socket:[9]", -1, 8, 1, t + 4, t + 5, null,
        "network.transport", "udp", "network.peer.port", "5000"), closed);
    all.closeAll(closed);

    IpcOp s = closed.get(0).op;
    assertThat(closed.get(0).count).isEqualTo(3);
    assertThat(s.bytes).isEqualTo(30); // the failed send moved none
    assertThat(s.peerPid).isZero(); // not the same for all
    assertThat(s.attributeCount()).isEqualTo(1);
    assertThat(s.attribute("network.transport")).isEqualTo("udp");
    assertThat(s.startNanos).isEqualTo(t);
    assertThat(s.endNanos).isEqualTo(t + 5);
  }

  @Test
  void operationsThatMovedNothingSumToMinusOne() {
    StreamFolder all = new StreamFolder(0, SECOND);
    for (int i = 0; i < 3; i++) {
      all.admit(new IpcOp("file_lock", "lock", "/tmp/l", -1, 0, 1, i, i, null), closed);
    }
    all.closeAll(closed);

    assertThat(closed.get(0).count).isEqualTo(3);
    assertThat(closed.get(0).op.bytes).isEqualTo(-1);
  }

  @Test
  void aLateOperationOfAClosedWindowIsNotLost() {
    List<IpcOp> ops = new ArrayList<>();
    for (int i = 0; i < DETAIL + 1; i++) {
      ops.add(write(70 * SECOND, i, null));
    }
    admit(ops);
    folder.closeWindows(71 * SECOND + StreamFolder.LATE_NANOS, closed);
    assertThat(closed).hasSize(1);

    // later than late: a stream of its own, its budget fresh
    assertThat(folder.admit(write(70 * SECOND, DETAIL + 1, null), closed)).isTrue();
    assertThat(folder.streams()).isEqualTo(1);
    folder.closeWindows(72 * SECOND + StreamFolder.LATE_NANOS, closed);
    assertThat(folder.streams()).isZero();
  }

  /**
   * A window this thread folded in before the application's thread began to: the thread's summary of the same window
   * joins this one's, so the window still has one summary; one of the next window starts that window's.
   */
  @Test
  void aSummaryFoldedOnTheApplicationsThreadJoinsItsWindowsSummary() {
    List<IpcOp> ops = new ArrayList<>();
    for (int i = 0; i < DETAIL + 10; i++) {
      ops.add(write(10 * SECOND, i, null));
    }
    admit(ops);
    IpcOp fromThread = new IpcOp("pipe", "write", "pipe:[4711]", 600, 4250, 4243, 10 * SECOND + 500_000,
        10 * SECOND + 900_000, null, PIPE);
    IpcOp nextWindow = new IpcOp("pipe", "write", "pipe:[4711]", 60, 4250, 4243, 11 * SECOND + 10,
        11 * SECOND + 20, null, PIPE);

    folder.absorb(fromThread, 200, closed);
    assertThat(closed).as("its window is still open").isEmpty();
    folder.absorb(nextWindow, 20, closed);
    assertThat(closed).as("still open: the next window's came, but the window is not over by late yet").isEmpty();
    folder.closeWindows(11 * SECOND + StreamFolder.LATE_NANOS, closed);
    assertThat(closed).singleElement().satisfies(s -> {
      assertThat(s.count).isEqualTo(10 + 200);
      long bytes = 600;
      for (int i = DETAIL; i < DETAIL + 10; i++) {
        bytes += i % 7;
      }
      assertThat(s.op.bytes).isEqualTo(bytes);
      assertThat(s.op.startNanos).isEqualTo(10 * SECOND + 1000L * DETAIL);
      assertThat(s.op.endNanos).isEqualTo(10 * SECOND + 900_000);
    });
    folder.closeAll(closed);
    assertThat(closed).hasSize(2);
    assertThat(closed.get(1).count).isEqualTo(20);
    assertThat(closed.get(1).op.bytes).isEqualTo(60);
  }

  /** The thread's summary first, then operations this thread folds in the same window: still one summary. */
  @Test
  void operationsFoldedHereAfterAThreadsSummaryJoinIt() {
    IpcOp fromThread = new IpcOp("pipe", "write", "pipe:[4711]", 600, 4250, 4243, 10 * SECOND + 10,
        10 * SECOND + 20, null, PIPE);
    folder.absorb(fromThread, 200, closed);
    List<IpcOp> ops = new ArrayList<>();
    for (int i = 0; i < DETAIL + 10; i++) {
      ops.add(write(10 * SECOND, i, null));
    }
    assertThat(admit(ops)).hasSize(DETAIL);
    folder.closeWindows(11 * SECOND + StreamFolder.LATE_NANOS, closed);
    assertThat(closed).singleElement().satisfies(s -> assertThat(s.count).isEqualTo(200 + 10));
  }

  /**
   * The thread's summary of a window, read by the export thread only after the thread's first operation of the next
   * window went through here (the operation was on the queue before the export thread looked at the thread): it
   * joins its own window's summary, which is still open, and not the next window's.
   */
  @Test
  void aThreadsSummaryThatComesAfterTheNextWindowsOperationsJoinsItsOwnWindow() {
    List<IpcOp> ops = new ArrayList<>();
    for (int i = 0; i < DETAIL + 10; i++) {
      ops.add(write(10 * SECOND, i, null));
    }
    for (int i = 0; i < DETAIL + 5; i++) {
      ops.add(write(11 * SECOND, i, null));
    }
    assertThat(admit(ops)).hasSize(2 * DETAIL);
    IpcOp fromThread = new IpcOp("pipe", "write", "pipe:[4711]", 600, 4250, 4243, 10 * SECOND + 900_000,
        10 * SECOND + 950_000, null, PIPE);
    folder.absorb(fromThread, 200, closed);

    folder.closeWindows(11 * SECOND + StreamFolder.LATE_NANOS, closed);
    assertThat(closed).singleElement().satisfies(s -> {
      assertThat(s.count).isEqualTo(10 + 200);
      assertThat(s.op.startNanos).isEqualTo(10 * SECOND + 1000L * DETAIL);
      assertThat(s.op.endNanos).isEqualTo(10 * SECOND + 950_000);
    });
    folder.closeWindows(12 * SECOND + StreamFolder.LATE_NANOS, closed);
    assertThat(closed).hasSize(2);
    assertThat(closed.get(1).count).isEqualTo(5);
    assertThat(closed.get(1).op.startNanos).as("after the window's last single")
        .isEqualTo(11 * SECOND + 1000L * DETAIL);

    // a thread's summary of a window closed already: a stream of its own, nothing lost
    folder.absorb(fromThread, 7, closed);
    folder.closeWindows(13 * SECOND + StreamFolder.LATE_NANOS, closed);
    assertThat(closed).hasSize(3);
    assertThat(closed.get(2).count).isEqualTo(7);
  }

  /** Two windows late (the stream has moved on twice): its window's summary is out already, so it goes by itself. */
  @Test
  void aThreadsSummaryTwoWindowsLateGoesOutByItself() {
    List<IpcOp> ops = new ArrayList<>();
    for (int w = 10; w <= 12; w++) {
      for (int i = 0; i < DETAIL + 1; i++) {
        ops.add(write(w * SECOND, i, null));
      }
    }
    admit(ops);
    assertThat(closed).as("window 10's, closed as 12 began").hasSize(1);
    IpcOp fromThread = new IpcOp("pipe", "write", "pipe:[4711]", 600, 4250, 4243, 10 * SECOND + 900_000,
        10 * SECOND + 950_000, null, PIPE);

    folder.absorb(fromThread, 200, closed);

    assertThat(closed).hasSize(2);
    assertThat(closed.get(1).count).isEqualTo(200);
    assertThat(closed.get(1).op).isSameAs(fromThread);
  }
}
