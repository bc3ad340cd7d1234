package io.ipcscope.agent.capture;

import java.io.FileDescriptor;
import java.lang.ref.WeakReference;

/**
 * A descriptor the agent knows to be an IPC channel, and what to say about it. The descriptor is held weakly: the
 * JDK closes a leaked stream's descriptor when its {@link FileDescriptor} is collected, and a strong reference here
 * would keep it open forever. Subclassed in this package where a channel keeps more (SocketRef).
 */
public class ChannelRef {

  /** Null for a claim on the number alone, while the descriptor's object does not exist yet. */
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
    this.owner = owner == null ? null : new WeakReference<>(owner);
    this.mechanism = mechanism;
    this.channel = channel;
    this.peerPid = peerPid;
    this.ignored = ignored;
    this.attributes = attributes;
  }

  boolean ownedBy(FileDescriptor fd) {
    return owner == null || owner.get() == fd;
  }

  boolean claimsNumberOnly() {
    return owner == null;
  }

  /** The same channel, now tied to its descriptor's object. */
  ChannelRef ownedBy(FileDescriptor fd, String... moreAttributes) {
    ChannelRef tied = new ChannelRef(fd, mechanism, channel, peerPid, ignored, moreAttributes);
    tied.origin = origin;
    return tied;
  }
}
