package io.ipcscope.collector.live;

import java.io.IOException;
import java.nio.file.Path;

/** Another collector answers on the socket path this one wanted: two would fight over it. */
public final class CollectorRunningException extends IOException {

  private final Path socket;

  CollectorRunningException(Path socket) {
    super("another collector answers on " + socket, null);
    this.socket = socket;
  }

  public Path socket() {
    return socket;
  }
}
