package io.ipcscope.collector.record;

import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.collector.pipeline.ModelDriver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Rebuilds the model from a recording: the same snapshot, events, ticks and host answers, in the same order, through
 * the same {@link ModelDriver} as the live run, so with the recorded peer wait it hands on exactly the events the live
 * run handed on. A damaged recording is replayed up to its first bad record, then drained, and the result says where
 * it stopped.
 */
public final class Replay {

  private Replay() {}

  /**
   * Rebuilds the model from a recording: returns the header, counts, and the error if the file ends early/corrupt.
   *
   * @throws NotARecordingException when the file is not a recording (or is cut inside its header)
   */
  public static ReplayResult run(Path file, long peerWaitNanos, Consumer<ResolvedEvent> downstream)
      throws IOException {
    return run(file, peerWaitNanos, downstream, ReplayListener.NONE);
  }

  /** As {@link #run(Path, long, Consumer)} with the peer wait the recording was made with. */
  public static ReplayResult run(Path file, Consumer<ResolvedEvent> downstream, ReplayListener listener)
      throws IOException {
    return run(file, -1, downstream, listener);
  }

  /**
   * As {@link #run(Path, long, Consumer)}, telling {@code listener} of drops and notes at their place in the stream.
   * A negative {@code peerWaitNanos} means the recorded one.
   */
  public static ReplayResult run(Path file, long peerWaitNanos, Consumer<ResolvedEvent> downstream,
      ReplayListener listener) throws IOException {
    try (RecordingReader reader = RecordingReader.open(file)) {
      RecordingHeader header = reader.header();
      long peerWait = peerWaitNanos < 0 ? header.peerWaitNanos() : peerWaitNanos;
      ReplayHostView host = new ReplayHostView(reader, peerWait == header.peerWaitNanos());
      String error = null;
      ModelDriver driver;
      try {
        driver = new ModelDriver(host, peerWait, downstream);
      } catch (ReplayHostView.Stop stop) {
        error = stop.getMessage();
        driver = new ModelDriver(host, peerWait, downstream); // stopped: an empty start
      }
      listener.started(header, driver);
      long events = 0;
      long lost = 0;
      boolean drained = false;
      try {
        for (RecordingEntry entry = error == null ? reader.next() : null; entry != null; entry = reader.next()) {
          if (entry instanceof RecordingEntry.Event e) {
            events++;
            driver.accept(e.event());
          } else if (entry instanceof RecordingEntry.Tick t) {
            driver.tick(t.nanos());
            listener.tick(t.nanos());
          } else if (entry instanceof RecordingEntry.Lost l) {
            lost += l.count();
            listener.lost(l.nanos(), l.count());
          } else if (entry instanceof RecordingEntry.Note n) {
            listener.note(n.key(), n.value());
          } else if (entry instanceof RecordingEntry.Drain) {
            driver.drain();
            drained = true;
          } else if (entry instanceof RecordingEntry.End) {
            break;
          } else if (peerWait == header.peerWaitNanos()) {
            // an answer nobody asked for: the live model asked a question this one did not
            throw new ReplayHostView.Stop(diverged(reader, "the recording answers a question the model did not ask: "
                + kind(entry)));
          }
        }
      } catch (DamagedRecordingException e) {
        error = describe(e);
      } catch (ReplayHostView.Stop stop) {
        error = stop.getMessage();
      }
      host.stop(); // whatever a drain still asks, the recording has no more answers for
      if (!drained) {
        driver.drain();
      }
      return new ReplayResult(header, events, lost, Optional.ofNullable(error), driver);
    }
  }

  static String describe(DamagedRecordingException e) {
    return e.getMessage() + (e.getMessage().endsWith(")") ? ": " : "; ") + "replayed the " + (e.record() - 1)
        + " records before it";
  }

  static String diverged(RecordingReader reader, String what) {
    return "replay diverged from the recording at byte " + reader.offset() + " (record " + (reader.records()) + "): "
        + what;
  }

  /** A record's kind as the messages name it: "a tick", "an event". */
  static String kind(RecordingEntry entry) {
    String name = entry.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
    return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name + " record";
  }
}
