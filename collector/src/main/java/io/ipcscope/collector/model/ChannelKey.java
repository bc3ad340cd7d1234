package io.ipcscope.collector.model;

import io.ipcscope.probes.event.Mechanism;

/**
 * The identity of a channel as users see it in /proc: {@code pipe:[inode]} for an anonymous pipe,
 * {@code fifo:[major:minor:inode]} for a named pipe.
 *
 * @param dev the kernel's encoding of st_dev ({@code major << 20 | minor}); 0 for anonymous pipes, whose inode
 *     is unique on pipefs
 */
public record ChannelKey(Mechanism mechanism, int dev, long inode) {

  public static ChannelKey pipe(long inode) {
    return new ChannelKey(Mechanism.PIPE, 0, inode);
  }

  public static ChannelKey fifo(int dev, long inode) {
    return new ChannelKey(Mechanism.FIFO, dev, inode);
  }

  /** Converts st_dev as {@code stat(2)} returns it (glibc encoding) to the kernel's encoding. */
  public static int kernelDev(long userDev) {
    long major = ((userDev >>> 8) & 0xfff) | ((userDev >>> 32) & ~0xfffL);
    long minor = (userDev & 0xff) | ((userDev >>> 12) & ~0xffL);
    return (int) ((major << 20) | (minor & 0xfffff));
  }

  public String display() {
    return switch (mechanism) {
      case PIPE -> "pipe:[" + inode + "]";
      case FIFO -> "fifo:[" + (dev >>> 20) + ":" + (dev & 0xfffff) + ":" + inode + "]";
      default -> mechanism.id() + ":[" + inode + "]";
    };
  }

  @Override
  public String toString() {
    return display();
  }
}
