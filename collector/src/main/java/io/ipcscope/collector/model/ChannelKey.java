package io.ipcscope.collector.model;

import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.StatDev;

/**
 * The identity of a channel as users see it: {@code pipe:[inode]} for an anonymous pipe (as in /proc),
 * {@code fifo:[major:minor:inode]} for a named pipe, {@code sysv_mq:[msqid]} for a System V message queue (as ipcs
 * shows it), {@code posix_mq:[inode]} for a POSIX message queue (its name, when known, is the channel's path),
 * {@code file:[major:minor:inode]} for a locked file, {@code posix_shm:[major:minor:inode]} for a mapped file,
 * {@code sysv_shm:[shmid]} and {@code sem:[semid]} for System V segments and semaphore sets, {@code socket:[inode]} for a Unix socket channel: the sending
 * socket of a stream (one channel per direction of a connection), the receiving socket of a datagram socket (one queue,
 * any number of senders), as in /proc/PID/fd.
 *
 * @param dev the kernel's encoding of st_dev ({@code major << 20 | minor}); 0 for anonymous pipes, whose inode
 *     is unique on pipefs; the IPC namespace's inode number for System V queues, whose ids are per namespace
 * @param inode the inode, or the System V queue id; for TCP and UDP the sending endpoint ({@link #endpoint})
 * @param peer for TCP and UDP the receiving endpoint; 0 for every other mechanism
 */
public record ChannelKey(Mechanism mechanism, int dev, long inode, long peer) {

  public ChannelKey(Mechanism mechanism, int dev, long inode) {
    this(mechanism, dev, inode, 0);
  }

  private static final long ENDPOINT_V6 = 1L << 48;

  /** One direction of a loopback TCP or UDP flow, by its sending and receiving endpoints (packed by the probes). */
  public static ChannelKey inetFlow(Mechanism mechanism, long from, long to) {
    return new ChannelKey(mechanism, 0, from, to);
  }

  /**
   * The channel a {@link #display()} string names, for what reads ipcscope's JSON (a dashboard attached to a
   * collector). Names without a device ({@code sysv_mq:[ID]}...) come back with device 0. Empty for text that is not
   * a channel.
   */
  public static java.util.Optional<ChannelKey> parse(String display) {
    int open = display.indexOf(":[");
    if (open <= 0 || !display.endsWith("]")) {
      return java.util.Optional.empty();
    }
    String kind = display.substring(0, open);
    String inside = display.substring(open + 2, display.length() - 1);
    try {
      return switch (kind) {
        case "pipe" -> java.util.Optional.of(pipe(Long.parseLong(inside)));
        case "socket" -> java.util.Optional.of(unixSocket(Long.parseLong(inside)));
        case "fifo", "file", "posix_shm" -> {
          String[] f = inside.split(":");
          int dev = Integer.parseInt(f[0]) << 20 | Integer.parseInt(f[1]);
          long inode = Long.parseLong(f[2]);
          yield java.util.Optional.of(kind.equals("fifo") ? fifo(dev, inode)
              : kind.equals("file") ? lockedFile(dev, inode) : posixShm(dev, inode));
        }
        case "tcp", "udp" -> {
          int arrow = inside.indexOf("->");
          Mechanism m = kind.equals("tcp") ? Mechanism.TCP : Mechanism.UDP;
          yield java.util.Optional.of(inetFlow(m, packEndpoint(inside.substring(0, arrow)),
              packEndpoint(inside.substring(arrow + 2))));
        }
        default -> Mechanism.fromId(kind).flatMap(m -> of(m, 0, Long.parseLong(inside)));
      };
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** {@code 127.0.0.1:8080} or {@code [::1]:8080} packed as the probes pack endpoints: the inverse of endpoint(). */
  static long packEndpoint(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    long port = Long.parseLong(endpoint.substring(colon + 1));
    String address = endpoint.substring(0, colon);
    if (address.equals("[::1]")) {
      return ENDPOINT_V6 | port;
    }
    long v4 = 0;
    for (String octet : address.split("\\.")) {
      v4 = v4 << 8 | Integer.parseInt(octet);
    }
    return v4 << 16 | port;
  }

  /** A packed endpoint as users write it: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
  public static String endpoint(long key) {
    int port = (int) (key & 0xffff);
    if ((key & ENDPOINT_V6) != 0) {
      return "[::1]:" + port;
    }
    long a = key >>> 16;
    return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff) + ":" + port;
  }

  public static ChannelKey pipe(long inode) {
    return new ChannelKey(Mechanism.PIPE, 0, inode);
  }

  public static ChannelKey fifo(int dev, long inode) {
    return new ChannelKey(Mechanism.FIFO, dev, inode);
  }

  public static ChannelKey sysvQueue(int ipcNamespace, long msqid) {
    return new ChannelKey(Mechanism.SYSV_MQ, ipcNamespace, msqid);
  }

  /** The locked file: locks belong to the inode, whichever descriptor or path took them. */
  public static ChannelKey lockedFile(int dev, long inode) {
    return new ChannelKey(Mechanism.FILE_LOCK, dev, inode);
  }

  /** A shared-memory object mapped from a file (shm_open, memfd, any regular file): its device and inode. */
  public static ChannelKey posixShm(int dev, long inode) {
    return new ChannelKey(Mechanism.POSIX_SHM, dev, inode);
  }

  /** A System V shared memory segment, by shmid (ipcs -m) in its IPC namespace. */
  public static ChannelKey sysvShm(int ipcNamespace, long shmid) {
    return new ChannelKey(Mechanism.SYSV_SHM, ipcNamespace, shmid);
  }

  /** A System V semaphore set, by semid (ipcs -s) in its IPC namespace. */
  public static ChannelKey semaphoreSet(int ipcNamespace, long semid) {
    return new ChannelKey(Mechanism.SEM, ipcNamespace, semid);
  }

  /** A Unix socket channel, named by its socket's inode on sockfs (which is unique there, so no device). */
  public static ChannelKey unixSocket(long inode) {
    return new ChannelKey(Mechanism.UNIX_SOCKET, 0, inode);
  }

  public static ChannelKey posixQueue(int dev, long inode) {
    return new ChannelKey(Mechanism.POSIX_MQ, dev, inode);
  }

  /**
   * The channel a kernel record names by mechanism, device and id (inode or queue id), for the mechanisms that have
   * channels; empty for the others (signals, processes).
   */
  public static java.util.Optional<ChannelKey> of(Mechanism mechanism, int dev, long id) {
    return switch (mechanism) {
      case PIPE -> java.util.Optional.of(pipe(id));
      case FIFO -> java.util.Optional.of(fifo(dev, id));
      case SYSV_MQ -> java.util.Optional.of(sysvQueue(dev, id));
      case POSIX_MQ -> java.util.Optional.of(posixQueue(dev, id));
      case FILE_LOCK -> java.util.Optional.of(lockedFile(dev, id));
      case UNIX_SOCKET -> java.util.Optional.of(unixSocket(id));
      case POSIX_SHM -> java.util.Optional.of(posixShm(dev, id));
      case SYSV_SHM -> java.util.Optional.of(sysvShm(dev, id));
      case SEM -> java.util.Optional.of(semaphoreSet(dev, id));
      default -> java.util.Optional.empty();
    };
  }

  /** Converts st_dev as {@code stat(2)} returns it (glibc encoding) to the kernel's encoding. */
  public static int kernelDev(long userDev) {
    return StatDev.toKernel(userDev);
  }

  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFREG = 0100000;
  private static final int PIPEFS_MAGIC = 0x50495045;
  private static final int TMPFS_MAGIC = 0x01021994;

  /**
   * The object a descriptor passed over a Unix socket opens (an FD_SEND or FD_RECEIVE record: its inode in extra,
   * device in bytes, i_mode in code, filesystem magic in peer_tid): a pipe, a FIFO, a socket, shared memory (a file
   * on tmpfs: a memfd, a /dev/shm object), or another file, shown as {@code file:[...]} as a locked one is.
   */
  public static ChannelKey passedBy(IpcEvent e) {
    int type = e.code() & S_IFMT;
    int dev = (int) e.bytes();
    if (type == S_IFIFO) {
      return e.peerTid() == PIPEFS_MAGIC ? pipe(e.extra()) : fifo(dev, e.extra());
    }
    if (type == S_IFSOCK) {
      return unixSocket(e.extra());
    }
    return type == S_IFREG && e.peerTid() == TMPFS_MAGIC ? posixShm(dev, e.extra()) : lockedFile(dev, e.extra());
  }

  public String display() {
    return switch (mechanism) {
      case PIPE -> "pipe:[" + inode + "]";
      case FIFO -> "fifo:[" + deviceAndInode() + "]";
      case FILE_LOCK -> "file:[" + deviceAndInode() + "]";
      case POSIX_SHM -> "posix_shm:[" + deviceAndInode() + "]";
      case TCP, UDP -> mechanism.id() + ":[" + endpoint(inode) + "->" + endpoint(peer) + "]";
      case UNIX_SOCKET -> "socket:[" + inode + "]";
      default -> mechanism.id() + ":[" + inode + "]";
    };
  }

  /** major:minor:inode, as stat(1) and /proc/locks tell a file apart. */
  private String deviceAndInode() {
    return (dev >>> 20) + ":" + (dev & 0xfffff) + ":" + inode;
  }

  @Override
  public String toString() {
    return display();
  }
}
