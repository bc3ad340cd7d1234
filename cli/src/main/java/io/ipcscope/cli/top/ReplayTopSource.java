package io.ipcscope.cli.top;

import io.ipcscope.cli.UserError;
import io.ipcscope.collector.Collector;
import io.ipcscope.collector.otel.SpanFactory;
import io.ipcscope.collector.pipeline.ModelDriver;
import io.ipcscope.collector.record.RecordingEntry;
import io.ipcscope.collector.record.RecordingHeader;
import io.ipcscope.collector.record.RecordingReader;
import io.ipcscope.collector.record.Replay;
import io.ipcscope.collector.record.ReplayListener;
import io.ipcscope.collector.record.ReplayResult;
import io.ipcscope.collector.talk.RecentEvent;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.tui.NewestFrame;
import io.ipcscope.tui.Playback;
import io.ipcscope.tui.TopFrame;
import io.ipcscope.tui.TopSource;
import io.opentelemetry.sdk.resources.Resource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dashboard's frames from a recording ({@code trace -w}), played like a video: a thread of its own feeds the
 * model at the pace the recording was made (times the speed) and publishes a frame every {@code publishMillis} of
 * recorded time; the dashboard can pause that clock, seek and change the speed ({@link Playback}). At the end the
 * last frame stays on screen.
 *
 * <p>A seek forward replays the records up to the target without pacing and without frames. A model cannot run
 * backwards, so a seek back rebuilds it from the start of the recording the same way: the frame at the target is the
 * one a straight replay makes at that tick. Positions are recorded time from the header's start, and land on the
 * first tick at or after the target.
 */
final class ReplayTopSource implements TopSource, Playback {

  static final double MIN_SPEED = 1.0 / 64;
  static final double MAX_SPEED = 1024;
  /** No seek, no tick yet, a length not known yet. */
  private static final long ABSENT = -1;

  private final Path file;
  private final long publishNanos;
  private final long startNanos;
  private final String description;
  private final NewestFrame latest = new NewestFrame();
  private final Thread replayer;
  private final Thread scanner;

  // The controls: set from the dashboard's thread, obeyed by the replayer's, which waits on `asked` between ticks.
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition asked = lock.newCondition();
  private volatile boolean closed;
  private boolean paused;
  private double speed;
  /** Where a seek goes (recorded time from the start), or ABSENT. */
  private long seekTo = ABSENT;
  /** The pacing: recorded CLOCK_MONOTONIC {@code clockAt} was due at wall time {@code wallAt}; paused, it stays. */
  private long clockAt;
  private long wallAt;
  private boolean clockStarted;

  // For the status: written by the replayer, read by the dashboard. Positions are recorded time from the start.
  /** The last frame published: where the screen is, and what a seek counts from. */
  private volatile long shownNanos;
  /** The last tick the model has had: ahead of the screen by up to a publish interval, or a seek's progress. */
  private volatile long reachedNanos;
  private volatile long lengthNanos = ABSENT;
  private volatile boolean ended;
  private volatile String error;

  /** Only the replayer's thread: which stretch of recorded time the frames belong to; each seek starts another. */
  private long timeline;

  ReplayTopSource(Path file, double speed, long publishMillis) {
    RecordingHeader header;
    try {
      header = RecordingReader.readHeader(file);
    } catch (IOException e) {
      throw UserError.unreadableRecording(file, e);
    }
    this.file = file;
    this.speed = speed;
    this.publishNanos = TimeUnit.MILLISECONDS.toNanos(publishMillis);
    this.startNanos = header.startMonotonicNanos();
    this.description = "replay of " + file.getFileName() + " (" + header.hostName() + ")";
    scanner = new Thread(this::scanLength, "ipcscope-top-replay-scan");
    scanner.setDaemon(true);
    scanner.start();
    replayer = new Thread(this::replay, "ipcscope-top-replay");
    replayer.setDaemon(true);
    replayer.start();
  }

  /** Thrown out of the replay's listener, which has no other way to stop {@link Replay#run} early. */
  private static final class Stop extends RuntimeException {
    final boolean restart;

    Stop(boolean restart) {
      super(null, null, false, false);
      this.restart = restart;
    }
  }

  private static final Stop RESTART = new Stop(true);
  private static final Stop CLOSED = new Stop(false);

  private void replay() {
    while (!closed) {
      try {
        playFromStart();
        awaitSeekBack();
      } catch (Stop stop) {
        if (!stop.restart) {
          return;
        }
        // a seek back: the model is rebuilt from the start
      }
    }
  }

  /** One pass over the recording, from its snapshot to its end (or its first damage). */
  private void playFromStart() {
    ended = false;
    reachedNanos = 0;
    Run run = new Run();
    try {
      ReplayResult result = Replay.run(file, -1, r -> run.collector.accept(r), run);
      result.error().ifPresent(e -> error = e);
    } catch (Stop stop) {
      throw stop;
    } catch (IOException | RuntimeException e) {
      error = String.valueOf(e.getMessage()); // what was replayed stays on screen
    }
    if (run.collector == null) {
      // Not even the snapshot (the file went away): nothing to show, and a seek would only fail again.
      lock.lock();
      try {
        seekTo = ABSENT;
      } finally {
        lock.unlock();
      }
      ended = true;
      return;
    }
    run.collector.drain();
    long last = run.lastTick == ABSENT ? startNanos : run.lastTick;
    boolean jumped;
    lock.lock();
    try {
      jumped = seekTo != ABSENT; // a seek past the end ends there
      seekTo = ABSENT;
      shownNanos = last - startNanos;
    } finally {
      lock.unlock();
    }
    if (lengthNanos == ABSENT) {
      lengthNanos = last - startNanos;
    }
    ended = true; // before the frame: a dashboard that redraws on frames asks for the status as it takes it
    // One publish interval after the last frame, so the model takes the drained one as newer, its rates over that.
    long at = jumped || run.lastPublished == Long.MIN_VALUE ? last : run.lastPublished + publishNanos;
    publish(run, at, jumped ? ++timeline : timeline, null);
  }

  /** At the end: the last frame stays until a seek back into the recording (or the dashboard closes). */
  private void awaitSeekBack() {
    lock.lock();
    try {
      while (true) {
        if (closed) {
          throw CLOSED;
        }
        if (seekTo != ABSENT && seekTo < shownNanos) {
          throw RESTART;
        }
        seekTo = ABSENT; // forward of the end there is nothing
        asked.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The model of one pass, fed by {@link Replay#run}; all on the replayer's thread. */
  private final class Run implements ReplayListener {
    ModelDriver driver;
    Collector collector;
    long epochOffset;
    long lastTick = ABSENT;
    long lastPublished = Long.MIN_VALUE;
    /** The last operation put in a frame: each frame has those since, numbered afresh by each pass's collector. */
    long lastSeq;
    /** A frame shortly before a seek's target, for the rates of the frame at it. */
    TopFrame baseline;
    long baselineFor = ABSENT;
    long baselineAt;

    @Override
    public void started(RecordingHeader header, ModelDriver d) {
      driver = d;
      epochOffset = header.epochNanosAtMonotonicZero();
      collector = new Collector(d.processes(), Resource.empty(), epochOffset, SpanFactory.Options.defaults(0),
          Collector.DEFAULT_CAUSAL_HOLD_NANOS, null);
    }

    @Override
    public void tick(long nanos) {
      collector.tick(nanos);
      long before = lastTick == ABSENT ? Long.MIN_VALUE : lastTick - startNanos;
      long at = nanos - startNanos;
      lastTick = nanos;
      reachedNanos = at;
      while (true) {
        long target = awaitDue(nanos);
        if (target == ABSENT) {
          break;
        }
        if (target <= before) {
          throw RESTART; // the first tick at or after the target is behind: from the start again
        }
        if (at < target) {
          if (at >= target - 4 * publishNanos && !(baselineFor == target && baselineAt >= target - publishNanos)) {
            // Ideally one publish interval before the target; where the ticks leave a gap, the last one before it.
            baseline = baseline(this, nanos);
            baselineFor = target;
            baselineAt = at;
          }
          return; // catching up: no pacing, no frames
        }
        if (arrived(nanos, at, target)) {
          publish(this, nanos, ++timeline, baselineFor == target ? baseline : null);
          baseline = null;
          baselineFor = ABSENT;
          return;
        }
        // the target moved while this tick was looked at: look again
      }
      if (lastPublished == Long.MIN_VALUE || nanos - lastPublished >= publishNanos) {
        shownNanos = at;
        publish(this, nanos, timeline, null);
      }
    }
  }

  /**
   * Waits until recorded time {@code nanos} is due, for as long as the replay is paused; returns ABSENT then, or a
   * seek's target as soon as one is asked for. Throws {@link #CLOSED} when the dashboard quits.
   */
  private long awaitDue(long nanos) {
    lock.lock();
    try {
      if (!clockStarted) {
        restartClock(nanos);
      }
      while (true) {
        if (closed) {
          throw CLOSED;
        }
        if (seekTo != ABSENT) {
          return seekTo;
        }
        if (paused) {
          asked.await();
          continue;
        }
        long wait = (long) ((nanos - clockAt) / speed) - (System.nanoTime() - wallAt);
        if (wait <= 0) {
          return ABSENT;
        }
        asked.awaitNanos(wait);
      }
    } catch (InterruptedException e) {
      throw CLOSED;
    } finally {
      lock.unlock();
    }
  }

  /** The seek to {@code target} is done at the tick {@code nanos} ({@code at}), unless it was changed meanwhile. */
  private boolean arrived(long nanos, long at, long target) {
    lock.lock();
    try {
      if (seekTo != target) {
        return false;
      }
      seekTo = ABSENT;
      shownNanos = at; // with the seek's end, so that the next press counts from here
      restartClock(nanos); // played on from here, paced again
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: recorded time {@code nanos} is now. */
  private void restartClock(long nanos) {
    clockAt = nanos;
    wallAt = System.nanoTime();
    clockStarted = true;
  }

  /**
   * Under the lock: the recorded clock stops where the replay is now, for a pause or a new speed to start from. That
   * is where the clock says, or behind it when the replay could not keep up (a high speed): the replay's own place.
   */
  private void holdClock() {
    if (clockStarted) {
      long now = System.nanoTime();
      clockAt = Math.min(clockAt + (long) ((now - wallAt) * speed), reachedNanos + startNanos);
      wallAt = now;
    }
  }

  private void publish(Run run, long nanos, long timeline, TopFrame baseline) {
    latest.publish(frame(run, nanos, timeline, baseline));
    run.lastPublished = nanos;
  }

  /** A frame of the model as it is; after a seek its operations are the last ones up to there that the tail keeps. */
  private static TopFrame frame(Run run, long nanos, long timeline, TopFrame baseline) {
    TalkGraph.Snapshot graph = run.collector.graph().snapshot();
    List<RecentEvent> recent = run.collector.tail().after(run.lastSeq);
    run.lastSeq = run.collector.tail().lastSeq();
    return new TopFrame(graph, run.collector.health(run.driver, graph, new long[0], null), nanos, run.epochOffset,
        recent, timeline, baseline);
  }

  /**
   * The model as it is, for the rates of a seek's frame. Without operations: a seek may take several before it
   * keeps one, and the seek's frame hands on all of them.
   */
  private TopFrame baseline(Run run, long nanos) {
    TalkGraph.Snapshot graph = run.collector.graph().snapshot();
    return new TopFrame(graph, run.collector.health(run.driver, graph, new long[0], null), nanos, run.epochOffset,
        List.of(), timeline, null);
  }

  /** The recording's length, for the header: its last tick, found by reading it through once without the model. */
  private void scanLength() {
    long last = ABSENT;
    try (RecordingReader reader = RecordingReader.open(file)) {
      for (RecordingEntry e = reader.next(); e != null && !closed; e = reader.next()) {
        if (e instanceof RecordingEntry.Tick t) {
          last = t.nanos();
        }
      }
    } catch (IOException | RuntimeException e) {
      // damaged: the replay stops at the same record, so the last good tick is its end too
    }
    if (last != ABSENT && !closed) {
      lengthNanos = last - startNanos;
    }
  }

  @Override
  public void togglePause() {
    lock.lock();
    try {
      if (paused) {
        wallAt = System.nanoTime(); // the clock goes on from where it stopped, not from where it would be by now
      } else {
        holdClock();
      }
      paused = !paused;
      asked.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void seekBy(long nanos) {
    lock.lock();
    try {
      long from = seekTo != ABSENT ? seekTo : shownNanos;
      long to = Math.max(0, from + nanos);
      long length = lengthNanos;
      if (length != ABSENT) {
        to = Math.min(to, length);
      }
      if (to != from || seekTo != ABSENT) {
        seekTo = to;
        asked.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void changeSpeed(double factor) {
    lock.lock();
    try {
      double next = speed * factor;
      if (next < MIN_SPEED || next > MAX_SPEED) {
        return;
      }
      if (!paused) {
        holdClock();
      }
      speed = next;
      asked.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Status status() {
    lock.lock();
    try {
      boolean seeking = seekTo != ABSENT;
      return new Status(seeking ? reachedNanos : shownNanos, lengthNanos, speed, paused, seekTo,
          ended && !seeking);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Playback> playback() {
    return Optional.of(this);
  }

  @Override
  public Optional<TopFrame> poll() {
    return latest.take();
  }

  @Override
  public String describe() {
    String e = error;
    return e == null ? description : description + ": " + e;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      asked.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      replayer.join(2_000); // its file closed before the caller goes on
      scanner.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
