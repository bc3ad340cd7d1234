package io.ipcscope.tui;

import io.ipcscope.collector.talk.SignalFlow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the model remembers of each signal flow between frames: its sends at the last frame, and since when. */
final class SignalRates {

  static final class Rate {
    final long firstSeenNanos;
    /** Flows already there when the dashboard started are not news; only later arrivals are highlighted. */
    final boolean presentAtStart;
    long sent;
    double sentPerSec;

    Rate(long firstSeenNanos, boolean presentAtStart) {
      this.firstSeenNanos = firstSeenNanos;
      this.presentAtStart = presentAtStart;
    }
  }

  private Map<SignalFlow.Key, Rate> rates = new HashMap<>();

  /** A new frame's flows, {@code seconds} after the previous frame (0: this is the first). */
  void update(List<SignalFlow> flows, long atNanos, double seconds) {
    Map<SignalFlow.Key, Rate> seen = new HashMap<>();
    for (SignalFlow f : flows) {
      Rate r = rates.get(f.key());
      if (r == null) {
        r = new Rate(atNanos, seconds == 0);
      }
      // a flow new since the previous frame started from zero within that interval
      r.sentPerSec = TopModel.perSecond(f.sent() - r.sent, seconds);
      r.sent = f.sent();
      seen.put(f.key(), r);
    }
    rates = seen; // flows the collector evicted are forgotten here too
  }

  /** Forgets every flow, as at the start: the source jumped to another stretch of time (a replay seeked). */
  void clear() {
    rates = new HashMap<>();
  }

  /** The flow's rate; a flow this frame did not carry has none. */
  Rate get(SignalFlow.Key key) {
    return rates.getOrDefault(key, new Rate(0, true));
  }
}
