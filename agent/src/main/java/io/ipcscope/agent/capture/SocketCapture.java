package io.ipcscope.agent.capture;

import io.ipcscope.agent.AgentLog;
import io.ipcscope.agent.bootstrap.IpcSink;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.Feature;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Socket operations as {@link IpcOp}s: Unix-domain and TCP stream sockets ({@code SocketChannel},
 * {@code java.net.Socket}) and UDP ({@code DatagramChannel}, {@code DatagramSocket}), named and called the way the
 * kernel's probes name and call them: mechanisms {@code unix_socket}, {@code tcp}, {@code udp}; {@code connect},
 * {@code accept}, then {@code write} and {@code read} on a stream socket, {@code send} and {@code receive} on a
 * datagram one.
 *
 * <p>A socket is found in the {@link FdTable} by its descriptor. The first operation on one reads its kernel name
 * ({@code socket:[inode]}) and its addresses, once, and decides whether it is one of the agent's own, which are never
 * reported: its link to the collector (a Unix socket to the {@code socket} option's path) and its OTLP connections
 * (to the endpoint's host and port; the JDK HttpClient's threads are not the agent's). The agent's own threads are not
 * even looked at.
 */
final class SocketCapture {

  static final String UNIX = "unix_socket";
  static final String TCP = "tcp";
  static final String UDP = "udp";
  static final String TRANSPORT = "network.transport";
  static final String PEER_ADDRESS = "network.peer.address";
  static final String PEER_PORT = "network.peer.port";
  static final String LOCAL_PORT = "network.local.port";
  static final String LOOPBACK = "ipc.loopback";
  static final String UNIX_PATH = "ipc.unix.path";

  private final OpQueue queue;
  private final FdTable fds;
  private final TraceContexts contexts;
  private final BusyStreams busy;
  private final boolean enabled;
  /** The collector's agent socket, absolute: a Unix socket connected to it is the agent's. */
  private final Path collectorSocket;
  private volatile Endpoint otlp;

  SocketCapture(AgentConfig config, OpQueue queue, FdTable fds, TraceContexts contexts, BusyStreams busy) {
    this.busy = busy;
    this.queue = queue;
    this.fds = fds;
    this.contexts = contexts;
    this.collectorSocket = absolute(config.socket());
    boolean ok = false;
    if (config.has(Feature.SOCKET)) {
      try {
        SocketFields.check();
        ok = true;
      } catch (LinkageError e) {
        AgentLog.warn("sockets are not reported on this JDK: " + (e.getCause() != null ? e.getCause() : e));
      }
    }
    this.enabled = ok;
  }

  /** The agent's own OTLP endpoint (its URL; null for none): connections to it are the agent's. */
  void ignoreEndpoint(String url) {
    otlp = Endpoint.parse(url);
  }

  void channelOp(SocketChannel channel, int operation, long bytes, long startNanos) {
    if (!enabled || AgentThread.isCurrent() || (bytes == 0 && isTransfer(operation))) {
      return;
    }
    FileDescriptor fd = SocketFields.fd(channel);
    int number = JdkAccess.number(fd);
    ChannelRef ref = fds.lookup(fd, number);
    if (ref == null && (number < 0 || (ref = registerChannel(channel, fd, number)) == null)) {
      return;
    }
    if (!ref.ignored) {
      offer(ref, operation, bytes, ref.attributes, startNanos);
    }
  }

  void implOp(SocketImpl socket, int operation, long bytes, long startNanos) {
    if (!enabled || AgentThread.isCurrent() || (bytes == 0 && isTransfer(operation))) {
      return;
    }
    FileDescriptor fd = SocketFields.fd(socket);
    if (fd == null) {
      return;
    }
    int number = JdkAccess.number(fd);
    ChannelRef ref = fds.lookup(fd, number);
    if (ref == null && (number < 0 || (ref = registerImpl(socket, fd, number)) == null)) {
      return;
    }
    if (!ref.ignored) {
      offer(ref, operation, bytes, ref.attributes, startNanos);
    }
  }

  void datagramOp(DatagramChannel channel, int operation, long bytes, SocketAddress peer, long startNanos) {
    if (!enabled || AgentThread.isCurrent()) {
      return;
    }
    FileDescriptor fd = SocketFields.fd(channel);
    int number = JdkAccess.number(fd);
    ChannelRef ref = fds.lookup(fd, number);
    if (ref == null && (number < 0 || (ref = registerDatagram(channel, fd, number)) == null)) {
      return;
    }
    if (!ref.ignored && ref instanceof SocketRef) {
      offer(ref, operation, bytes, withPeer((SocketRef) ref, peer), startNanos);
    }
  }

  private void offer(ChannelRef ref, int operation, long bytes, String[] attributes, long startNanos) {
    long end = System.nanoTime();
    String name = operationName(ref.mechanism, operation);
    if (attributes == ref.attributes && (operation == IpcSink.SOCKET_SEND || operation == IpcSink.SOCKET_RECEIVE)) {
      IpcOp op = busy.admit(ref, name, 0, bytes, startNanos, end); // a transfer: folded when its stream is busy
      if (op != null) {
        queue.offer(op);
      }
      return;
    }
    queue.offer(new IpcOp(ref.mechanism, name, ref.channel, bytes, 0, NativeThreads.current(), startNanos, end,
        contexts.current(), attributes));
  }

  private ChannelRef registerChannel(SocketChannel channel, FileDescriptor fd, int number) {
    String name = ProcFd.name(number);
    if (name == null) {
      return null;
    }
    SocketAddress remote;
    SocketAddress local;
    try {
      remote = channel.getRemoteAddress();
      local = channel.getLocalAddress();
    } catch (IOException | RuntimeException e) {
      return null; // closed meanwhile
    }
    SocketRef ref;
    if (remote instanceof InetSocketAddress || local instanceof InetSocketAddress) {
      int localPort = local instanceof InetSocketAddress ? ((InetSocketAddress) local).getPort() : 0;
      InetSocketAddress peer = remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null;
      ref = peer == null
          ? new SocketRef(fd, TCP, name, false, inet(TCP, localPort, null, 0))
          : new SocketRef(fd, TCP, name, isOtlp(peer.getAddress(), peer.getHostString(), peer.getPort()),
              inet(TCP, localPort, peer.getAddress(), peer.getPort()));
    } else {
      // the connecting end knows the path it connected to; the accepting end, the path it listens on
      String path = SocketFields.unixPath(remote);
      if (path == null || path.isEmpty()) {
        path = SocketFields.unixPath(local);
      }
      if (path == null || path.isEmpty()) {
        ref = new SocketRef(fd, UNIX, name, false, TRANSPORT, "unix");
      } else {
        ref = new SocketRef(fd, UNIX, name, isCollector(path), TRANSPORT, "unix", UNIX_PATH, path);
      }
    }
    fds.register(number, ref);
    return ref;
  }

  private ChannelRef registerImpl(SocketImpl socket, FileDescriptor fd, int number) {
    String name = ProcFd.name(number);
    if (name == null) {
      return null;
    }
    InetAddress peer = SocketFields.peer(socket);
    int peerPort = SocketFields.peerPort(socket);
    boolean ours = isOtlp(peer, peer == null ? "" : hostName(peer), peerPort);
    SocketRef ref = new SocketRef(fd, TCP, name, ours, inet(TCP, SocketFields.localPort(socket), peer, peerPort));
    fds.register(number, ref);
    return ref;
  }

  private ChannelRef registerDatagram(DatagramChannel channel, FileDescriptor fd, int number) {
    String name = ProcFd.name(number);
    if (name == null) {
      return null;
    }
    SocketAddress local;
    try {
      local = channel.getLocalAddress();
    } catch (IOException | RuntimeException e) {
      return null;
    }
    int localPort = local instanceof InetSocketAddress ? ((InetSocketAddress) local).getPort() : 0;
    SocketRef ref = new SocketRef(fd, UDP, name, false, inet(UDP, localPort, null, 0));
    fds.register(number, ref);
    return ref;
  }

  /** A datagram socket's attributes and its peer's, kept for the next datagram to or from the same peer. */
  private static String[] withPeer(SocketRef ref, SocketAddress peer) {
    if (!(peer instanceof InetSocketAddress)) {
      return ref.attributes;
    }
    SocketRef.Peer last = ref.lastPeer;
    if (last != null && last.address.equals(peer)) {
      return last.attributes;
    }
    InetSocketAddress p = (InetSocketAddress) peer;
    String[] own = ref.attributes;
    String[] peerAttributes = peerAttributes(p.getAddress(), p.getHostString(), p.getPort());
    String[] all = Arrays.copyOf(own, own.length + peerAttributes.length);
    System.arraycopy(peerAttributes, 0, all, own.length, peerAttributes.length);
    ref.lastPeer = new SocketRef.Peer(peer, all);
    return all;
  }

  /** Transport and local port, then the peer's address and port and whether it is on the loopback. */
  private static String[] inet(String transport, int localPort, InetAddress peer, int peerPort) {
    String[] own = {TRANSPORT, transport, LOCAL_PORT, String.valueOf(localPort)};
    if (peer == null) {
      return own;
    }
    String[] peerAttributes = peerAttributes(peer, null, peerPort);
    String[] all = Arrays.copyOf(own, own.length + peerAttributes.length);
    System.arraycopy(peerAttributes, 0, all, own.length, peerAttributes.length);
    return all;
  }

  private static String[] peerAttributes(InetAddress address, String unresolved, int port) {
    if (address == null) {
      return new String[] {PEER_ADDRESS, unresolved, PEER_PORT, String.valueOf(port)};
    }
    String literal = address.getHostAddress();
    return address.isLoopbackAddress()
        ? new String[] {PEER_ADDRESS, literal, PEER_PORT, String.valueOf(port), LOOPBACK, "true"}
        : new String[] {PEER_ADDRESS, literal, PEER_PORT, String.valueOf(port)};
  }

  private boolean isOtlp(InetAddress address, String hostName, int port) {
    Endpoint e = otlp;
    return e != null && e.is(address, hostName, port);
  }

  private static boolean isTransfer(int operation) {
    return operation == IpcSink.SOCKET_SEND || operation == IpcSink.SOCKET_RECEIVE;
  }

  /** The kernel's words: write and read on a stream socket, send and receive on a datagram socket. */
  static String operationName(String mechanism, int operation) {
    switch (operation) {
      case IpcSink.SOCKET_CONNECT:
        return "connect";
      case IpcSink.SOCKET_ACCEPT:
        return "accept";
      case IpcSink.SOCKET_SEND:
        return mechanism.equals(UDP) ? "send" : "write";
      default:
        return mechanism.equals(UDP) ? "receive" : "read";
    }
  }

  /** The host name an address was made with, without a reverse lookup; "" when it was made from a literal. */
  private static String hostName(InetAddress address) {
    String text = address.toString();
    return text.substring(0, Math.max(0, text.indexOf('/')));
  }

  private boolean isCollector(String path) {
    Path p = absolute(path);
    return p != null && p.equals(collectorSocket);
  }

  /** Null for a path the file system cannot have. */
  private static Path absolute(String path) {
    try {
      return Paths.get(path).toAbsolutePath().normalize();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** An OTLP endpoint: host and port from its URL, the host's addresses looked up once, when first needed. */
  static final class Endpoint {
    final String host;
    final int port;
    private volatile InetAddress[] addresses;

    private Endpoint(String host, int port) {
      this.host = host;
      this.port = port;
    }

    /** Null when there is no endpoint or its URL names no host. */
    static Endpoint parse(String url) {
      if (url == null) {
        return null;
      }
      try {
        URI uri = URI.create(url.trim());
        String host = uri.getHost();
        if (host == null) {
          return null;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return new Endpoint(host, port);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }

    /** Whether a peer is this endpoint. Called once per socket, and looks the host up only for the right port. */
    boolean is(InetAddress address, String hostName, int port) {
      if (port != this.port || address == null) {
        return false;
      }
      if (host.equalsIgnoreCase(hostName) || host.equalsIgnoreCase(address.getHostAddress())) {
        return true;
      }
      for (InetAddress a : addresses()) {
        if (a.equals(address)) {
          return true;
        }
      }
      return false;
    }

    private InetAddress[] addresses() {
      InetAddress[] a = addresses;
      if (a == null) {
        try {
          a = InetAddress.getAllByName(host);
        } catch (UnknownHostException | RuntimeException e) {
          a = new InetAddress[0];
        }
        addresses = a;
      }
      return a;
    }
  }
}
