package io.ipcscope.agent.capture;

import java.io.FileDescriptor;
import java.net.SocketAddress;

/**
 * A socket the agent has named. A stream socket's attributes (addresses, ports) are fixed once it is connected; an
 * unconnected datagram socket talks to a peer per datagram, so its operations add the peer's attributes to the
 * socket's own, and the last peer's are kept: a socket mostly talks to the same one again.
 */
final class SocketRef extends ChannelRef {

  /** The last peer of a datagram socket and its operations' attributes (the socket's own, then the peer's). */
  static final class Peer {
    final SocketAddress address;
    final String[] attributes;

    Peer(SocketAddress address, String[] attributes) {
      this.address = address;
      this.attributes = attributes;
    }
  }

  /** Written by whichever thread saw a new peer; a race costs an attribute array, never a wrong one. */
  volatile Peer lastPeer;

  SocketRef(FileDescriptor owner, String mechanism, String channel, boolean ignored, String... attributes) {
    super(owner, mechanism, channel, 0, ignored, attributes);
  }
}
