package io.ipcscope.tui;

import io.ipcscope.collector.talk.EventTail;
import io.ipcscope.collector.talk.RecentEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The hand-over between a source's own thread, which publishes frames, and the dashboard's, which takes the newest
 * one once: a frame the dashboard already has is not given again. A frame replaced before the dashboard took it
 * hands its operations on to the one that replaces it, so none are lost between the two threads' rhythms.
 */
public final class NewestFrame {

  private TopFrame latest;
  private boolean taken = true;

  /** From the source's thread. */
  public synchronized void publish(TopFrame frame) {
    // Across a seek (another timeline) the replaced frame is of another stretch of time: nothing of it goes on.
    if (!taken && latest.timeline() == frame.timeline()) {
      if (!latest.recent().isEmpty()) {
        List<RecentEvent> both = new ArrayList<>(latest.recent().size() + frame.recent().size());
        both.addAll(latest.recent());
        both.addAll(frame.recent());
        // Bounded like the collector's own tail: a dashboard that stalls gets the newest operations.
        List<RecentEvent> kept = both.subList(Math.max(0, both.size() - EventTail.CAPACITY), both.size());
        frame = frame.withRecent(kept);
      }
      if (latest.baseline() != null && frame.baseline() == null) {
        // The first frame after a seek was not taken: the dashboard has nothing of this timeline yet, so the replaced
        // frame is what this one's rates are against (its operations are in this one now).
        frame = new TopFrame(frame.graph(), frame.health(), frame.atNanos(), frame.epochOffsetNanos(), frame.recent(),
            frame.timeline(), new TopFrame(latest.graph(), latest.health(), latest.atNanos(),
                latest.epochOffsetNanos(), List.of(), latest.timeline(), null));
      }
    }
    latest = frame;
    taken = false;
  }

  /** From the dashboard's thread: the newest frame, if it is not the one taken last. */
  public synchronized Optional<TopFrame> take() {
    if (taken || latest == null) {
      return Optional.empty();
    }
    taken = true;
    return Optional.of(latest);
  }
}
