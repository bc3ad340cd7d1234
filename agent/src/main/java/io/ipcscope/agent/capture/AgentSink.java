package io.ipcscope.agent.capture;

import io.ipcscope.agent.bootstrap.IpcSink;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.Feature;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Turns what advice reports into {@link IpcOp}s on the queue. Runs on the application's threads: each method either
 * returns at once (not an IPC channel, mechanism switched off) or makes one operation and offers it.
 */
public final class AgentSink implements IpcSink {

  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;

  private final AgentConfig config;
  private final OpQueue queue;
  private final FdTable fds = new FdTable();
  private final TraceContexts contexts = new TraceContexts();
  private final ChildProcesses children;
  private final FileOps files;
  private final SignalOps signals;
  private final NativeCalls nativeCalls;
  private final SocketCapture sockets;
  private final BusyStreams busy;

  public AgentSink(AgentConfig config, OpQueue queue) {
    this.config = config;
    this.queue = queue;
    this.busy = new BusyStreams(config.detail(), BusyStreams.WINDOW_NANOS, contexts);
    this.children = new ChildProcesses(fds, queue, contexts);
    this.files = new FileOps(queue, contexts);
    this.signals = new SignalOps(queue, contexts);
    this.nativeCalls = new NativeCalls(config.has(Feature.JNA), queue, contexts);
    this.sockets = new SocketCapture(config, queue, fds, contexts, busy);
  }

  /** The transfers folded on the application's threads, for the export thread to summarise. */
  public BusyStreams busyStreams() {
    return busy;
  }

  @Override
  public void processStarting(ProcessBuilder builder) {
    if (config.has(Feature.PROCESS)) {
      children.starting(builder);
    }
  }

  @Override
  public void pipesOpening(int pid, int[] fds) {
    if (config.has(Feature.PROCESS)) {
      children.pipesOpening(pid, fds);
    }
  }

  @Override
  public void pipesOpened(Process child, int[] fds) {
    if (config.has(Feature.PROCESS)) {
      children.pipesOpened(child, fds);
    }
  }

  /** The agent's own OTLP endpoint (its URL; null for none): connections to it are the agent's, never reported. */
  public void ignoreEndpoint(String url) {
    sockets.ignoreEndpoint(url);
  }

  @Override
  public void socketChannelOp(SocketChannel channel, int operation, long bytes, long startNanos) {
    sockets.channelOp(channel, operation, bytes, startNanos);
  }

  @Override
  public void socketImplOp(SocketImpl socket, int operation, long bytes, long startNanos) {
    sockets.implOp(socket, operation, bytes, startNanos);
  }

  @Override
  public void datagramOp(DatagramChannel channel, int operation, long bytes, SocketAddress peer, long startNanos) {
    sockets.datagramOp(channel, operation, bytes, peer, startNanos);
  }

  @Override
  public void processStarted(ProcessBuilder builder, Process child, long startNanos) {
    if (config.has(Feature.PROCESS)) {
      children.started(child, startNanos);
    }
  }

  @Override
  public long streamStarting(FileDescriptor fd) {
    ChannelRef ref = fds.lookup(fd, JdkAccess.number(fd));
    return ref == null || ref.ignored ? 0 : System.nanoTime();
  }

  @Override
  public void streamTransfer(FileDescriptor fd, boolean write, long bytes, long startNanos) {
    ChannelRef ref = fds.lookup(fd, JdkAccess.number(fd));
    if (ref == null || ref.ignored) {
      return;
    }
    IpcOp op = busy.admit(ref, write ? "write" : "read", ref.peerPid, bytes, startNanos, System.nanoTime());
    if (op != null) {
      queue.offer(op);
    }
  }

  @Override
  public void fileOpened(FileDescriptor fd, String path, boolean write) {
    if (!config.has(Feature.FILE) || path == null) {
      return;
    }
    Path p = Paths.get(path);
    try {
      // one stat for both: this runs on every FileInputStream and FileOutputStream opened on a path
      Map<String, Object> attributes = Files.readAttributes(p, "unix:mode,ino");
      if (((Integer) attributes.get("mode") & S_IFMT) != S_IFIFO) {
        return;
      }
      String fifo = p.toAbsolutePath().toString();
      String inode = String.valueOf(attributes.get("ino"));
      fds.register(JdkAccess.number(fd), new ChannelRef(fd, "fifo", fifo, 0, false, "ipc.inode", inode));
      long now = System.nanoTime();
      queue.offer(new IpcOp("fifo", "open", fifo, -1, 0, NativeThreads.current(), now, now, contexts.current(),
          "ipc.inode", inode, "ipc.open.mode", write ? "write" : "read"));
    } catch (IOException | RuntimeException e) {
      // not a FIFO we can tell: nothing to report
    }
  }

  @Override
  public void processDestroyed(long pid, boolean forcibly, boolean delivered, long startNanos) {
    if (!config.has(Feature.SIGNAL)) {
      return;
    }
    queue.offer(new IpcOp("signal", "kill", "", -1, pid, NativeThreads.current(), startNanos, System.nanoTime(),
        contexts.current(), "ipc.signal", forcibly ? "SIGKILL" : "SIGTERM", "ipc.api",
        forcibly ? "Process.destroyForcibly" : "Process.destroy", "ipc.result", delivered ? "sent" : "not sent"));
  }

  @Override
  public void fileMapped(FileDescriptor fd, String path, String mode, long position, long size, long startNanos) {
    if (config.has(Feature.FILE)) {
      files.mapped(fd, path, mode, position, size, startNanos);
    }
  }

  @Override
  public void fileLocked(FileDescriptor fd, String path, long position, long size, boolean shared, boolean tryLock,
      boolean acquired, long startNanos) {
    if (config.has(Feature.FILE)) {
      files.locked(fd, path, position, size, shared, tryLock, acquired, startNanos);
    }
  }

  @Override
  public void fileUnlocked(FileDescriptor fd, String path, long position, long size, boolean shared,
      long startNanos) {
    if (config.has(Feature.FILE)) {
      files.unlocked(fd, path, position, size, shared, startNanos);
    }
  }

  @Override
  public void signalHandled(int number, long startNanos) {
    if (config.has(Feature.SIGNAL)) {
      signals.handled(number, startNanos);
    }
  }

  @Override
  public void signalRaised(int number, long startNanos) {
    if (config.has(Feature.SIGNAL)) {
      signals.raised(number, startNanos);
    }
  }

  @Override
  public void signalDispatched(int number, long startNanos) {
    if (config.has(Feature.SIGNAL)) {
      signals.dispatched(number, startNanos);
    }
  }

  @Override
  public long nativeCallStarting(String function) {
    return nativeCalls.starting(function);
  }

  @Override
  public void nativeCalled(String function, Object[] args, Object result, Throwable thrown, long startNanos) {
    nativeCalls.called(function, args, result, thrown, startNanos);
  }
}
