package io.ipcscope.collector.live;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The server's end of the socket path: its directory made private, a stale socket of a dead collector replaced, a
 * live one left alone, and the socket readable and writable by its owner only.
 */
public final class SocketFile {

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;

  private SocketFile() {}

  static ServerSocketChannel bind(Path socket) throws IOException {
    Path dir = socket.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
      removeStale(socket);
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
      // bind made it with the umask's mode: until this chmod, a socket in a shared directory may be connectable by
      // others for an instant; in the default directory (0700, root's) nobody else can reach it at all
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * Deletes a socket nobody answers on; refuses a live one ({@link CollectorRunningException}) and anything that is
   * not a socket. The agent socket's server uses it too.
   */
  public static void removeStale(Path socket) throws IOException {
    int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    if ((mode & S_IFMT) != S_IFSOCK) {
      throw new IOException(socket + " exists and is not a socket");
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      throw new CollectorRunningException(socket);
    } catch (ConnectException refused) {
      Files.deleteIfExists(socket); // a collector that died without cleaning up
    }
  }
}
