package io.ipcscope.cli.top;

import io.ipcscope.cli.live.LiveSocket;
import io.ipcscope.collector.live.LiveClient;
import io.ipcscope.collector.live.SnapshotReader;
import io.ipcscope.tui.NewestFrame;
import io.ipcscope.tui.TopFrame;
import io.ipcscope.tui.TopSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The dashboard's frames from a running {@code ipcscope collect}: its live socket asked for a snapshot every
 * {@code publishMillis} on a thread of its own. The first snapshot is taken before the dashboard starts, so a
 * collector that is not there is a one-line error, not an empty screen; one that goes away later leaves its last
 * frame on screen and says so in the status line.
 */
final class SocketTopSource implements TopSource {

  private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

  private final Path socket;
  private final NewestFrame latest = new NewestFrame();
  private final Thread poller;
  private volatile boolean running = true;
  private volatile String problem = "";
  private final String host;
  /** The last operation received (the poller's; the first snapshot's before the poller starts). */
  private long lastSeq;

  SocketTopSource(Path socket, long publishMillis) throws IOException {
    this.socket = socket;
    // one-line errors; the collector's recent operations come with it, so the Events view starts full
    SnapshotReader.RemoteSnapshot first = SnapshotReader.read(LiveSocket.snapshot(socket, 0));
    host = first.host();
    latest.publish(frame(first));
    poller = new Thread(() -> {
      while (running) {
        try {
          Thread.sleep(publishMillis);
          latest.publish(frame(SnapshotReader.read(LiveClient.snapshot(socket, ANSWER_TIMEOUT, lastSeq))));
          problem = "";
        } catch (InterruptedException e) {
          return;
        } catch (IOException | RuntimeException e) {
          problem = ", gone: " + e.getMessage(); // the last frame stays on screen
        }
      }
    }, "ipcscope-top-socket");
    poller.setDaemon(true);
    poller.start();
  }

  private TopFrame frame(SnapshotReader.RemoteSnapshot s) {
    if (!s.events().isEmpty()) {
      lastSeq = s.events().get(s.events().size() - 1).seq();
    }
    // the snapshot's times are all epoch nanoseconds: one clock, no offset to add
    return new TopFrame(s.graph(), s.health(), s.publishedNanos(), 0, s.events());
  }

  @Override
  public Optional<TopFrame> poll() {
    return latest.take();
  }

  @Override
  public String describe() {
    return "collector on " + host + " at " + socket + problem;
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
  }
}
