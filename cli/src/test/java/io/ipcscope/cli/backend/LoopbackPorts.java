package io.ipcscope.cli.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports for backends that must be told their port before they bind (another process). */
final class LoopbackPorts {
  private LoopbackPorts() {}

  /** A port that was free a moment ago; the caller retries on a clash, since another process may take it first. */
  static int free() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("finding a free loopback port", e);
    }
  }
}
