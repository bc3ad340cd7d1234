package io.ipcscope.collector.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Whether a loopback TCP endpoint is one of this process's own sockets. The probes leave out the collector's own
 * calls, but not its peer's: a backend on this host reading the spans the collector sends would be traced, its
 * spans sent, read, traced... The collector drops flows with one of its own endpoints.
 *
 * <p>Our endpoints are read from /proc/self/fd (socket inodes) and /proc/self/net/tcp and tcp6 (their addresses); the
 * backend's accept is recorded before any data, so the read its first record causes already finds the socket.
 */
public final class OwnSockets implements LongPredicate {

  /** How often, at most, an endpoint not known to be ours sends us to /proc again. */
  private static final long REREAD_NANOS = 100_000_000L;
  private static final long ENDPOINT_V6 = 1L << 48;

  private final Path proc;
  private Set<Long> own = Set.of();
  private long readAtNanos = Long.MIN_VALUE / 2;

  OwnSockets(Path proc) {
    this.proc = proc;
  }

  public static OwnSockets self() {
    return new OwnSockets(Path.of("/proc/self"));
  }

  /**
   * True when {@code endpoint} (packed as the probes pack it) is the local end of one of our sockets. An endpoint not
   * among those last read makes us read them again, at most every 100 ms: a new export connection is found at its
   * first record, and a port we no longer hold is not ours for long.
   */
  @Override
  public boolean test(long endpoint) {
    if (own.contains(endpoint)) {
      return true;
    }
    long now = System.nanoTime();
    if (now - readAtNanos >= REREAD_NANOS) {
      readAtNanos = now;
      own = ownEndpoints();
    }
    return own.contains(endpoint);
  }

  private Set<Long> ownEndpoints() {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      return Set.of();
    }
    Set<Long> endpoints = new HashSet<>();
    for (String table : List.of("net/tcp", "net/tcp6")) {
      try {
        for (String line : Files.readAllLines(proc.resolve(table))) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && inodes.contains(f[9])) {
            long packed = pack(f[1]);
            if (packed != 0) {
              endpoints.add(packed);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        // no such table (no IPv6)
      }
    }
    return endpoints;
  }

  /** {@code 0100007F:1F90} (tcp) or a 32-digit IPv6 address and port (tcp6), as the probes pack loopback ends. */
  static long pack(String local) {
    int colon = local.indexOf(':');
    String address = local.substring(0, colon);
    long port = Long.parseLong(local.substring(colon + 1), 16);
    if (address.length() == 8) {
      long le = Long.parseLong(address, 16); // the kernel prints the address's bytes as a little-endian int
      long v4 = ((le & 0xff) << 24) | ((le >> 8 & 0xff) << 16) | ((le >> 16 & 0xff) << 8) | (le >> 24 & 0xff);
      return v4 << 16 | port;
    }
    if (address.equals("00000000000000000000000001000000")) {
      return ENDPOINT_V6 | port; // ::1
    }
    if (address.startsWith("0000000000000000FFFF0000")) {
      return pack(address.substring(24) + ":" + local.substring(colon + 1)); // IPv4-mapped
    }
    return 0;
  }
}
