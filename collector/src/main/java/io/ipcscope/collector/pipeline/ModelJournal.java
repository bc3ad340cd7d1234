package io.ipcscope.collector.pipeline;

import io.ipcscope.probes.event.IpcEvent;

/**
 * Where a {@link ModelDriver} writes down every input it gets, in the order it gets them, before acting on it: a
 * recording replays to the same model only if nothing reaches the model unrecorded.
 */
public interface ModelJournal {

  /** Records nothing. */
  ModelJournal NONE = new ModelJournal() {
    @Override
    public void event(IpcEvent e) {}

    @Override
    public void tick(long nowNanos) {}

    @Override
    public void drain() {}

    @Override
    public HostView observe(HostView host) {
      return host;
    }
  };

  void event(IpcEvent e);

  void tick(long nowNanos);

  void drain();

  /** {@code host} with every answer it gives journaled. */
  HostView observe(HostView host);
}
