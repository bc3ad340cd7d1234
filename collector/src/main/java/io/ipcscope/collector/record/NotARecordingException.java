package io.ipcscope.collector.record;

import java.io.IOException;

/** A file that is not an ipcscope recording, or one this version cannot read, or one cut inside its header. */
public final class NotARecordingException extends IOException {

  public NotARecordingException(String message) {
    super(message);
  }
}
