package io.ipcscope.agent.bootstrap;

import java.io.FileDescriptor;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

/**
 * What advice reports, called on the application's threads right after the instrumented call returned.
 *
 * <p>Contract for implementations: never block, never throw (advice suppresses anything thrown, but a throw costs a
 * stack trace's allocation), allocate at most one small object per reported operation, and recognise uninteresting
 * calls (a read of a regular file) in a few nanoseconds without allocating at all. Times are {@link System#nanoTime},
 * which on Linux is CLOCK_MONOTONIC: the kernel events' clock.
 */
public interface IpcSink {

  IpcSink NONE = new IpcSink() {};

  /** {@code ProcessBuilder.start} (and so {@code Runtime.exec}) is about to start a child. */
  default void processStarting(ProcessBuilder builder) {}

  /**
   * The child runs and {@code ProcessImpl.initStreams} is about to wrap its pipes ({@code fds}: stdin, stdout,
   * stderr, -1 where redirected). A child that exits at once has its output drained from here on, by another thread.
   */
  default void pipesOpening(int pid, int[] fds) {}

  /** {@code initStreams} returned: the child's streams exist. */
  default void pipesOpened(Process child, int[] fds) {}

  /** {@code ProcessBuilder.start} (and so {@code Runtime.exec}) returned a started child. */
  default void processStarted(ProcessBuilder builder, Process child, long startNanos) {}

  /**
   * A read or write on a stream's descriptor is about to start: answered on every file's read and write, so it must
   * take a few nanoseconds and allocate nothing.
   *
   * @return 0 when the descriptor is not a known IPC channel (nothing will be reported), else the call's start
   *     ({@link System#nanoTime})
   */
  default long streamStarting(FileDescriptor fd) {
    return 0;
  }

  /**
   * A read or write on a stream's descriptor ({@code FileInputStream}, {@code FileOutputStream}, a {@code FileChannel}):
   * reported only when the descriptor is a known IPC channel (a child's pipe, a FIFO).
   *
   * @param bytes what the call returned: bytes moved, or -1 at end of stream
   */
  default void streamTransfer(FileDescriptor fd, boolean write, long bytes, long startNanos) {}

  /** A {@code FileInputStream} or {@code FileOutputStream} was opened on a path: a FIFO becomes a known channel. */
  default void fileOpened(FileDescriptor fd, String path, boolean write) {}

  /** {@code Process.destroy}, {@code destroyForcibly} or the {@code ProcessHandle} ones asked the kernel to signal. */
  default void processDestroyed(long pid, boolean forcibly, boolean delivered, long startNanos) {}

  /**
   * {@code FileChannel.map} returned a mapping of the channel's file.
   *
   * @param mode {@code READ_ONLY}, {@code READ_WRITE}, {@code PRIVATE} (or a JDK's extended mode)
   */
  default void fileMapped(FileDescriptor fd, String path, String mode, long position, long size, long startNanos) {}

  /**
   * {@code FileChannel.lock} or {@code tryLock} returned.
   *
   * @param acquired whether the lock was taken; only a {@code tryLock} can return without it
   */
  default void fileLocked(FileDescriptor fd, String path, long position, long size, boolean shared, boolean tryLock,
      boolean acquired, long startNanos) {}

  /** {@code FileLock.release} (or {@code close}) gave a valid lock up. */
  default void fileUnlocked(FileDescriptor fd, String path, long position, long size, boolean shared,
      long startNanos) {}

  /** {@code sun.misc.Signal.handle} installed a Java handler. */
  default void signalHandled(int number, long startNanos) {}

  /** {@code sun.misc.Signal.raise} had the kernel send a signal to this process. */
  default void signalRaised(int number, long startNanos) {}

  /** The JVM's Signal Dispatcher thread hands a received signal to its Java handler. */
  default void signalDispatched(int number, long startNanos) {}

  /**
   * Asked before every JNA function call, so it must answer in a few nanoseconds without allocating.
   *
   * @return 0 when the function is not one reported, else the call's start ({@link System#nanoTime})
   */
  default long nativeCallStarting(String function) {
    return 0;
  }

  /**
   * A JNA call to a libc IPC function returned (or threw), as the application passed its arguments.
   *
   * @param result what the function returned, boxed or a {@code Pointer}; null for void or NULL
   */
  default void nativeCalled(String function, Object[] args, Object result, Throwable thrown, long startNanos) {}

  /** The {@code operation} of the socket callbacks. */
  int SOCKET_CONNECT = 1;
  int SOCKET_ACCEPT = 2;
  /** Bytes left through the socket: a write on a stream socket, a send on a datagram one. */
  int SOCKET_SEND = 3;
  /** Bytes arrived through the socket: a read on a stream socket, a receive on a datagram one. */
  int SOCKET_RECEIVE = 4;

  /**
   * A {@code SocketChannel} (Unix-domain or TCP; also the {@code Socket} of {@code SocketChannel.socket()}) connected,
   * was accepted ({@code channel} is the new one), or moved bytes.
   *
   * @param bytes what the call returned: bytes moved, 0 when a non-blocking call moved none, -1 at end of stream;
   *     -1 for connect and accept
   */
  default void socketChannelOp(SocketChannel channel, int operation, long bytes, long startNanos) {}

  /**
   * A {@code java.net.Socket} (its {@code NioSocketImpl}) connected, was accepted by a {@code ServerSocket}
   * ({@code socket} is the new one), or moved bytes; {@code bytes} as for {@link #socketChannelOp}.
   */
  default void socketImplOp(SocketImpl socket, int operation, long bytes, long startNanos) {}

  /**
   * A {@code DatagramChannel} (also a {@code DatagramSocket}, which is one inside) connected, or sent or received a
   * datagram of {@code bytes}; {@code peer} is where it went or came from, or the connected peer.
   */
  default void datagramOp(DatagramChannel channel, int operation, long bytes, SocketAddress peer, long startNanos) {}
}
