package io.ipcscope.agent.capture;

import java.io.FileDescriptor;
import java.lang.ref.WeakReference;

/**
 * A descriptor the agent knows to be an IPC channel, and what to say about it. The descriptor is held weakly: the
 * JDK closes a leaked stream's descriptor when its {@link FileDescriptor} is collected, and a strong reference here
 * would keep it open forever.
 */
public final class ChannelRef {

  private final WeakReference<FileDescriptor> owner;
  public final String mechanism;
  /** The kernel's name: {@code pipe:[4711]}, {@code socket:[8123]}, or the FIFO's path. */
  public final String channel;
  public final long peerPid;
  /** Attributes every operation on it carries (the child's command and which of its streams), key, value... */
  final String[] attributes;
  /** Operations on the agent's own sockets are never reported. */
  final boolean ignored;
  /**
   * The span current when the channel was made (a child started), or null: the parent of the reads the JDK's process
   * reaper makes when it drains an exited child's pipe. Set before the channel is registered.
   */
  IpcOp.Parent origin;

  ChannelRef(FileDescriptor owner, String mechanism, String channel, long peerPid, boolean ignored,
      String... attributes) {
    this.owner = new WeakReference<>(owner);
    this.mechanism = mechanism;
    this.channel = channel;
    this.peerPid = peerPid;
    this.ignored = ignored;
    this.attributes = attributes;
  }

  boolean ownedBy(FileDescriptor fd) {
    return owner.get() == fd;
  }
}
