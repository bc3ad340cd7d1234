package io.ipcscope.demo;

import java.io.IOException;

/**
 * The producer and consumer roles of the semaphore-guarded ring workloads (posix-shm, sysv-shm),
 * and what their reports must say: each child counts its own attaches and semaphore operations,
 * and the demo checks them against the protocol of {@link ShmRing} before recording them.
 *
 * @param records records the producer sent, and the consumer received
 * @param handovers slots handed over ({@link ShmRing#handovers}): each semaphore operation's count
 * @param attaches mmap/shmat calls of both children together
 */
record RingCounts(long records, long handovers, long attaches) {

  static final String PRODUCER = "producer";
  static final String CONSUMER = "consumer";

  /** Plays {@code role} on an attached ring and reports its counts. */
  static void play(String role, ChildContext child, ShmRing ring, ShmRing.Semaphore empty, ShmRing.Semaphore full)
      throws Exception {
    child.report("attaches", 1);
    ShmRing.Counted e = new ShmRing.Counted(empty);
    ShmRing.Counted f = new ShmRing.Counted(full);
    long records = switch (role) {
      case PRODUCER -> ring.produce(child.pacer(), e, f);
      case CONSUMER -> ring.consume(e, f);
      default -> throw new IllegalArgumentException("workload " + child.workload() + " has no child role " + role);
    };
    child.report("records", records);
    child.report("empty.posts", e.posts());
    child.report("empty.waits", e.waits());
    child.report("full.posts", f.posts());
    child.report("full.waits", f.waits());
  }

  /** Reads both children's reports; fails unless they tell of one ring run by the protocol. */
  static RingCounts read(Run run, String workload) throws IOException {
    long n = run.resultCount(PRODUCER, "records");
    long received = run.resultCount(CONSUMER, "records");
    if (received != n) {
      throw new IOException(workload + ": producer sent " + n + " records, consumer received " + received);
    }
    long h = ShmRing.handovers(n);
    expect(run, workload, PRODUCER, new long[] {0, h, h, 0});
    expect(run, workload, CONSUMER, new long[] {h, 0, 0, h});
    return new RingCounts(n, h, run.resultCount(PRODUCER, "attaches") + run.resultCount(CONSUMER, "attaches"));
  }

  private static void expect(Run run, String workload, String role, long[] emptyPostsWaitsFullPostsWaits)
      throws IOException {
    String[] keys = {"empty.posts", "empty.waits", "full.posts", "full.waits"};
    for (int i = 0; i < keys.length; i++) {
      long got = run.resultCount(role, keys[i]);
      if (got != emptyPostsWaitsFullPostsWaits[i]) {
        throw new IOException(workload + ": " + role + " reported " + keys[i] + " = " + got + ", expected "
            + emptyPostsWaitsFullPostsWaits[i]);
      }
    }
    if (run.resultCount(role, "attaches") != 1) {
      throw new IOException(workload + ": " + role + " attached the ring " + run.resultCount(role, "attaches")
          + " times");
    }
  }
}
