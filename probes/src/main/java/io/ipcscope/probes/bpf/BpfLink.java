package io.ipcscope.probes.bpf;

import com.sun.jna.Pointer;

/** An attachment of a program to its hook; {@link #close()} detaches it. Idempotent and thread-safe. */
public final class BpfLink implements AutoCloseable {
  private final String description;
  private Pointer handle;

  BpfLink(String description, Pointer handle) {
    this.description = description;
    this.handle = handle;
  }

  public synchronized boolean isOpen() {
    return handle != null;
  }

  @Override
  public synchronized void close() {
    if (handle != null) {
      Libbpf.lib().bpf_link__destroy(handle);
      handle = null;
    }
  }

  @Override
  public String toString() {
    return "link " + description;
  }
}
