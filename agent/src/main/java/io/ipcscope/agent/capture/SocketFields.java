package io.ipcscope.agent.capture;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The JDK's socket internals {@link SocketCapture} reads: the descriptor of a {@code SocketChannel}, a
 * {@code DatagramChannel} and a {@code SocketImpl}, and what a {@code SocketImpl} knows of its peer. sun.nio.ch and
 * java.net are opened to the agent by {@code AgentInstaller}; on a JDK without these fields this class fails to load,
 * and the agent reports no socket (one line on stderr says so).
 */
final class SocketFields {

  private static final VarHandle CHANNEL_FD = field("sun.nio.ch.SocketChannelImpl", "fd", FileDescriptor.class);
  private static final VarHandle DATAGRAM_FD = field("sun.nio.ch.DatagramChannelImpl", "fd", FileDescriptor.class);
  private static final VarHandle IMPL_FD = field("java.net.SocketImpl", "fd", FileDescriptor.class);
  private static final VarHandle IMPL_ADDRESS = field("java.net.SocketImpl", "address", InetAddress.class);
  private static final VarHandle IMPL_PORT = field("java.net.SocketImpl", "port", int.class);
  private static final VarHandle IMPL_LOCAL_PORT = field("java.net.SocketImpl", "localport", int.class);
  /** {@code UnixDomainSocketAddress.getPath()} (JDK 16), null before: no Unix-domain channels there. */
  private static final MethodHandle UNIX_PATH = unixPath();

  private SocketFields() {}

  /** Loads the class: throws (a LinkageError) when the JDK's fields are not the ones expected. */
  static void check() {}

  static FileDescriptor fd(SocketChannel channel) {
    return (FileDescriptor) CHANNEL_FD.get(channel);
  }

  static FileDescriptor fd(DatagramChannel channel) {
    return (FileDescriptor) DATAGRAM_FD.get(channel);
  }

  /** Null until the socket is created. */
  static FileDescriptor fd(SocketImpl socket) {
    return (FileDescriptor) IMPL_FD.get(socket);
  }

  /** The peer's address, null until connected. */
  static InetAddress peer(SocketImpl socket) {
    return (InetAddress) IMPL_ADDRESS.get(socket);
  }

  static int peerPort(SocketImpl socket) {
    return (int) IMPL_PORT.get(socket);
  }

  static int localPort(SocketImpl socket) {
    return (int) IMPL_LOCAL_PORT.get(socket);
  }

  /** A Unix-domain socket address's path, "" for an unnamed one; null when {@code address} is not one. */
  static String unixPath(SocketAddress address) {
    if (UNIX_PATH == null || address == null
        || !address.getClass().getName().equals("java.net.UnixDomainSocketAddress")) {
      return null;
    }
    try {
      return ((Path) UNIX_PATH.invokeExact(address)).toString();
    } catch (Throwable t) {
      return null;
    }
  }

  private static VarHandle field(String className, String name, Class<?> type) {
    try {
      Class<?> owner = Class.forName(className, false, null);
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, name, type);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(className + "." + name + ": " + e, e);
    }
  }

  private static MethodHandle unixPath() {
    try {
      Class<?> type = Class.forName("java.net.UnixDomainSocketAddress", false, null);
      return MethodHandles.publicLookup().findVirtual(type, "getPath", MethodType.methodType(Path.class))
          .asType(MethodType.methodType(Path.class, SocketAddress.class));
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
