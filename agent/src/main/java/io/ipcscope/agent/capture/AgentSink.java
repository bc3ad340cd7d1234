package io.ipcscope.agent.capture;

import io.ipcscope.agent.bootstrap.IpcSink;
import io.ipcscope.agent.config.AgentConfig;
import io.ipcscope.agent.config.Feature;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Turns what advice reports into {@link IpcOp}s on the queue. Runs on the application's threads: each method either
 * returns at once (not an IPC channel, mechanism switched off) or makes one operation and offers it.
 */
public final class AgentSink implements IpcSink {

  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;
  private static final int MAX_COMMAND = 256;

  private final AgentConfig config;
  private final OpQueue queue;
  private final FdTable fds = new FdTable();
  private final TraceContexts contexts = new TraceContexts();

  public AgentSink(AgentConfig config, OpQueue queue) {
    this.config = config;
    this.queue = queue;
  }

  @Override
  public void processStarted(ProcessBuilder builder, Process child, long startNanos) {
    if (!config.has(Feature.PROCESS)) {
      return;
    }
    long pid = child.pid();
    String command = command(builder.command());
    IpcOp.Parent parent = contexts.current();
    String stdin = register(fdOf(child.getOutputStream()), pid, command, "stdin", parent);
    String stdout = register(fdOf(child.getInputStream()), pid, command, "stdout", parent);
    String stderr = register(fdOf(child.getErrorStream()), pid, command, "stderr", parent);
    queue.offer(new IpcOp("process", "spawn", "", -1, pid, NativeThreads.current(), startNanos, System.nanoTime(),
        parent, "ipc.child.command", command, "ipc.child.stdin", stdin, "ipc.child.stdout", stdout,
        "ipc.child.stderr", stderr));
  }

  @Override
  public void streamTransfer(FileDescriptor fd, boolean write, long bytes, long startNanos) {
    ChannelRef ref = fds.lookup(fd, JdkAccess.number(fd));
    if (ref == null || ref.ignored) {
      return;
    }
    IpcOp.Parent parent = contexts.current();
    if (parent == null && ref.origin != null && ProcessReaper.isCurrent()) {
      parent = ref.origin; // the JDK draining an exited child's pipe, for whoever started the child
    }
    queue.offer(new IpcOp(ref.mechanism, write ? "write" : "read", ref.channel, bytes, ref.peerPid,
        NativeThreads.current(), startNanos, System.nanoTime(), parent, ref.attributes));
  }

  @Override
  public void fileOpened(FileDescriptor fd, String path, boolean write) {
    if (!config.has(Feature.FILE) || path == null) {
      return;
    }
    Path p = Paths.get(path);
    try {
      int mode = (Integer) Files.getAttribute(p, "unix:mode");
      if ((mode & S_IFMT) != S_IFIFO) {
        return;
      }
      Object inode = Files.getAttribute(p, "unix:ino");
      fds.register(JdkAccess.number(fd), new ChannelRef(fd, "fifo", p.toAbsolutePath().toString(), 0, false,
          "ipc.inode", String.valueOf(inode)));
      queue.offer(new IpcOp("fifo", "open", p.toAbsolutePath().toString(), -1, 0, NativeThreads.current(),
          System.nanoTime(), System.nanoTime(), contexts.current(), "ipc.inode", String.valueOf(inode),
          "ipc.open.mode", write ? "write" : "read"));
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

  private String register(FileDescriptor fd, long pid, String command, String stream, IpcOp.Parent origin) {
    if (fd == null) {
      return "";
    }
    int number = JdkAccess.number(fd);
    String name = ProcFd.name(number);
    if (name == null || !name.startsWith("pipe:")) {
      return "";
    }
    ChannelRef ref = new ChannelRef(fd, "pipe", name, pid, false, "ipc.child.command", command, "ipc.stream", stream);
    ref.origin = origin;
    fds.register(number, ref);
    return name;
  }

  private static FileDescriptor fdOf(OutputStream out) {
    try {
      OutputStream inner = JdkAccess.unwrap(out);
      return inner instanceof FileOutputStream ? ((FileOutputStream) inner).getFD() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static FileDescriptor fdOf(InputStream in) {
    try {
      InputStream inner = JdkAccess.unwrap(in);
      return inner instanceof FileInputStream ? ((FileInputStream) inner).getFD() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String command(List<String> command) {
    String joined = String.join(" ", command);
    return joined.length() <= MAX_COMMAND ? joined : joined.substring(0, MAX_COMMAND - 1) + "…";
  }
}
