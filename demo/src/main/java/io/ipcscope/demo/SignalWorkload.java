package io.ipcscope.demo;

import io.ipcscope.demo.truth.TruthSignal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import sun.misc.Signal;

/**
 * Signals between two child JVMs. The sender kills the receiver with SIGUSR1 and waits for the
 * SIGUSR2 the receiver's handler answers, N times (one at a time, so nothing coalesces); then it
 * sigqueue()s one SIGUSR1 carrying {@link #QUEUED_VALUE}, answered the same way; then it sends
 * SIGTERM and the receiver exits from its handler.
 *
 * <p>The receiver learns the sender's pid from a file the demo writes after starting the sender;
 * it installs its handlers only then, and the sender waits for them in /proc/PID/status (SigCgt)
 * before the first signal. No other channel links them.
 *
 * <p>Both run with {@code _JAVA_SR_SIGNUM=40}: HotSpot's thread suspend/resume signal is SIGUSR2
 * by default; this moves it to signal 40 so SIGUSR2 is the workload's alone.
 *
 * <p>Truth: SIGUSR1 sender->receiver N user + 1 queue (value), SIGUSR2 receiver->sender N+1 user,
 * SIGTERM sender->receiver 1 user, SIGCHLD from both to the parent.
 */
final class SignalWorkload implements Workload {

  /** The sigval of the queued signal: "IPCS" in ASCII. */
  static final long QUEUED_VALUE = 0x49504353L;

  static final Map<String, String> ENV = Map.of("_JAVA_SR_SIGNUM", "40");

  private static final long ANSWER_TIMEOUT_SECONDS = 10;

  @Override
  public String name() {
    return "signal";
  }

  @Override
  public String description() {
    return "signals: SIGUSR1/SIGUSR2 round trips, one sigqueue with a value, then SIGTERM, between two JVMs";
  }

  @Override
  public void run(Run run) throws Exception {
    Path senderPidFile = run.tempDir().resolve("sender.pid");
    Process receiver = run.startChild("receiver", Run.Stdio.CONTROL, List.of(senderPidFile.toString()), ENV);
    Process sender =
        run.startChild("sender", Run.Stdio.CONTROL, List.of(Long.toString(receiver.pid())), ENV);
    Run.writeAtomically(senderPidFile, Long.toString(sender.pid()));
    run.announce();
    run.await(sender, receiver);

    long rounds = run.resultCount("sender", "rounds");
    long answers = run.resultCount("sender", "answers");
    long usr1 = run.resultCount("receiver", "usr1");
    long usr2 = run.resultCount("receiver", "usr2");
    long term = run.resultCount("receiver", "term");
    if (answers != rounds + 1 || usr1 != rounds + 1 || usr2 != rounds + 1 || term != 1) {
      throw new IOException("signal: sender made " + rounds + " rounds and got " + answers
          + " answers; receiver got " + usr1 + " SIGUSR1 and " + term + " SIGTERM, sent " + usr2 + " SIGUSR2");
    }
    long a = sender.pid();
    long b = receiver.pid();
    run.signal("SIGUSR1", a, b, rounds, TruthSignal.USER, null);
    run.signal("SIGUSR1", a, b, 1, TruthSignal.QUEUE, QUEUED_VALUE);
    run.signal("SIGUSR2", b, a, usr2, TruthSignal.USER, null);
    run.signal("SIGTERM", a, b, 1, TruthSignal.USER, null);
    run.childExitSignals(receiver, sender);
  }

  @Override
  public void child(String role, ChildContext child) throws Exception {
    Libc.load();
    child.exitWhenParentGone();
    switch (role) {
      case "sender" -> send(Long.parseLong(child.arg(0)), child);
      case "receiver" -> receive(Path.of(child.arg(0)), child);
      default -> Workload.super.child(role, child);
    }
  }

  private static void send(long receiver, ChildContext child) throws Exception {
    Semaphore answer = new Semaphore(0);
    AtomicLong answers = new AtomicLong();
    Signal.handle(new Signal("USR2"), s -> {
      answers.incrementAndGet();
      answer.release();
    });
    awaitHandlers(receiver, Libc.SIGUSR1, Libc.SIGTERM);
    Pacer pacer = child.pacer();
    while (pacer.next()) {
      Libc.kill(receiver, Libc.SIGUSR1);
      awaitAnswer(answer, "SIGUSR1 " + pacer.count());
    }
    Libc.sigqueue(receiver, Libc.SIGUSR1, QUEUED_VALUE);
    awaitAnswer(answer, "the queued SIGUSR1");
    Libc.kill(receiver, Libc.SIGTERM);
    child.report("rounds", pacer.count());
    child.report("answers", answers.get());
  }

  private static void awaitAnswer(Semaphore answer, String what) throws InterruptedException {
    if (!answer.tryAcquire(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no SIGUSR2 answer to " + what + " within " + ANSWER_TIMEOUT_SECONDS + " s");
    }
  }

  private static void receive(Path senderPidFile, ChildContext child) throws Exception {
    long sender = awaitPid(senderPidFile);
    AtomicLong usr1 = new AtomicLong();
    AtomicLong usr2 = new AtomicLong();
    AtomicLong term = new AtomicLong();
    CountDownLatch terminated = new CountDownLatch(1);
    // TERM first: the sender starts once it sees USR1 caught, so both are in place by then.
    Signal.handle(new Signal("TERM"), s -> {
      term.incrementAndGet();
      terminated.countDown();
    });
    Signal.handle(new Signal("USR1"), s -> {
      usr1.incrementAndGet();
      // Counted before it is sent: the answer lets the sender send SIGTERM, whose handler runs on a thread of its
      // own and may report before this one would get to count it after the kill.
      usr2.incrementAndGet();
      Libc.kill(sender, Libc.SIGUSR2);
    });
    terminated.await();
    child.report("usr1", usr1.get());
    child.report("usr2", usr2.get());
    child.report("term", term.get());
  }

  private static long awaitPid(Path file) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_TIMEOUT_SECONDS);
    while (!Files.exists(file)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no sender pid in " + file + " within " + ANSWER_TIMEOUT_SECONDS + " s");
      }
      Thread.sleep(5);
    }
    return Long.parseLong(Files.readString(file).strip());
  }

  /** Waits until {@code pid} catches every given signal (its SigCgt mask in /proc). */
  static void awaitHandlers(long pid, int... signals) throws Exception {
    long wanted = 0;
    for (int sig : signals) {
      wanted |= 1L << (sig - 1);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ANSWER_TIMEOUT_SECONDS);
    while ((caughtSignals(pid) & wanted) != wanted) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pid " + pid + " installed no handlers within " + ANSWER_TIMEOUT_SECONDS + " s");
      }
      Thread.sleep(5);
    }
  }

  private static long caughtSignals(long pid) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
      return lines
          .filter(l -> l.startsWith("SigCgt:"))
          .mapToLong(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16))
          .findFirst()
          .orElse(0);
    }
  }
}
