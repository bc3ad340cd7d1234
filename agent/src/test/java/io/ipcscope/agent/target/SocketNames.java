package io.ipcscope.agent.target;

import java.io.IOException;
import java.nio.channels.Channel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel calls a target's sockets, found the way a user would, in /proc: a channel's descriptor's link in
 * /proc/self/fd, or an inet socket's inode in /proc/self/net/{tcp,udp}[6] by its ports (then checked to be one of
 * this process's descriptors).
 */
final class SocketNames {

  private SocketNames() {}

  /**
   * A channel's descriptor, read through {@code sun.nio.ch.SelChImpl.getFDVal()}: needs
   * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED} (the tests pass it in JDK_JAVA_OPTIONS).
   */
  static String of(Channel channel) throws Exception {
    int fd = (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(channel);
    return Files.readSymbolicLink(Paths.get("/proc/self/fd/" + fd)).toString();
  }

  /** An inet socket of this process by protocol ("tcp", "udp") and ports (remote 0: none). */
  static String inet(String protocol, int localPort, int remotePort) throws IOException {
    String found = null;
    for (String table : List.of(protocol, protocol + "6")) {
      Path path = Paths.get("/proc/self/net/" + table);
      if (!Files.exists(path)) {
        continue;
      }
      List<String> lines = Files.readAllLines(path);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (port(f[1]) == localPort && port(f[2]) == remotePort) {
          if (found != null) {
            throw new IllegalStateException("two " + protocol + " sockets with ports " + localPort + ", " + remotePort);
          }
          found = "socket:[" + f[9] + "]";
        }
      }
    }
    if (found == null || !ownDescriptors().contains(found)) {
      throw new IllegalStateException("no " + protocol + " socket of ours with ports " + localPort + ", " + remotePort
          + " (found " + found + ")");
    }
    return found;
  }

  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
  }

  private static List<String> ownDescriptors() throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
      for (Path fd : fds) {
        try {
          names.add(Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // closed while listing (the directory stream's own descriptor)
        }
      }
    }
    return names;
  }
}
