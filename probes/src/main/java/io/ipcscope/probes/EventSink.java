package io.ipcscope.probes;

import io.ipcscope.probes.event.IpcEvent;

/** Receives decoded events on the thread that calls {@link ProbeSession#poll}. Must not block for long. */
@FunctionalInterface
public interface EventSink {
  void accept(IpcEvent event);
}
