package io.ipcscope.tui;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The hand-over between a source's own thread, which publishes frames, and the dashboard's, which takes the newest
 * one once: a frame the dashboard already has is not given again.
 */
public final class NewestFrame {

  private final AtomicReference<TopFrame> latest = new AtomicReference<>();
  private TopFrame taken;

  /** From the source's thread. */
  public void publish(TopFrame frame) {
    latest.set(frame);
  }

  /** From the dashboard's thread: the newest frame, if it is not the one taken last. */
  public Optional<TopFrame> take() {
    TopFrame now = latest.get();
    if (now == null || now == taken) {
      return Optional.empty();
    }
    taken = now;
    return Optional.of(now);
  }
}
