package io.ipcscope.collector.live;

import java.io.IOException;
import java.nio.file.Path;

/** A client could not reach a collector: none runs there, or this user may not talk to it. */
public final class LiveUnavailableException extends IOException {

  public enum Reason { NO_COLLECTOR, ACCESS_DENIED }

  private final Reason reason;
  private final Path socket;

  LiveUnavailableException(Reason reason, Path socket, String detail) {
    super(socket + ": " + detail, null);
    this.reason = reason;
    this.socket = socket;
  }

  public Reason reason() {
    return reason;
  }

  public Path socket() {
    return socket;
  }
}
