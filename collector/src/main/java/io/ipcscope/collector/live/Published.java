package io.ipcscope.collector.live;

/**
 * A publication with the rate derived from the one before it.
 *
 * @param eventsPerSecond events the collector took per second between the previous publication and this one
 */
record Published(Publication publication, double eventsPerSecond) {

  static Published after(Published previous, Publication next) {
    long nanos = next.monotonicNanos() - previous.publication().monotonicNanos();
    long events = next.health().events() - previous.publication().health().events();
    double rate = nanos <= 0 || events < 0 ? 0 : Math.round(events * 1e10 / nanos) / 10.0;
    return new Published(next, rate);
  }
}
