package io.ipcscope.agent.capture;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Child processes and their three pipes. The pipes become known channels before the JDK wraps them in streams: a
 * child that exits at once has its output drained by the JDK's reaper thread as soon as {@code initStreams} has set
 * up the exit handler, possibly before {@code start} returns. So the descriptor numbers are claimed when
 * {@code initStreams} begins, and tied to their {@link FileDescriptor} objects when it returns (or released, if the
 * reaper already drained and closed them).
 */
final class ChildProcesses {

  private static final String[] STREAMS = {"stdin", "stdout", "stderr"};
  private static final int MAX_COMMAND = 256;

  /** What one thread's {@code start} in progress has learnt so far. */
  private static final class Spawn {
    final String command;
    /** The application's span around the start: the JDK's reaper thread drains an exited child's pipes for it. */
    final IpcOp.Parent parent;
    final String[] pipes = {"", "", ""};

    Spawn(String command, IpcOp.Parent parent) {
      this.command = command;
      this.parent = parent;
    }
  }

  private final FdTable fds;
  private final OpQueue queue;
  private final TraceContexts contexts;
  private final ThreadLocal<Spawn> spawning = new ThreadLocal<>();

  ChildProcesses(FdTable fds, OpQueue queue, TraceContexts contexts) {
    this.fds = fds;
    this.queue = queue;
    this.contexts = contexts;
  }

  void starting(ProcessBuilder builder) {
    spawning.set(new Spawn(command(builder.command()), contexts.current()));
  }

  void pipesOpening(int pid, int[] numbers) {
    Spawn spawn = spawning.get();
    if (spawn == null) {
      return; // a ProcessImpl made without ProcessBuilder.start: not a path the JDK has
    }
    for (int i = 0; i < STREAMS.length && i < numbers.length; i++) {
      String name = ProcFd.name(numbers[i]);
      if (name != null && name.startsWith("pipe:")) {
        spawn.pipes[i] = name;
        ChannelRef claim = new ChannelRef(null, "pipe", name, pid, false, "ipc.child.command", spawn.command,
            "ipc.stream", STREAMS[i]);
        claim.origin = spawn.parent;
        fds.register(numbers[i], claim);
      }
    }
  }

  void pipesOpened(Process child, int[] numbers) {
    FileDescriptor[] owners = {fdOf(child.getOutputStream()), fdOf(child.getInputStream()),
        fdOf(child.getErrorStream())};
    for (int i = 0; i < STREAMS.length && i < numbers.length; i++) {
      ChannelRef claim = fds.at(numbers[i]);
      if (claim == null || !claim.claimsNumberOnly()) {
        continue;
      }
      if (owners[i] != null && JdkAccess.number(owners[i]) == numbers[i]) {
        fds.register(numbers[i], claim.ownedBy(owners[i], claim.attributes));
      } else {
        fds.remove(numbers[i], claim); // drained and closed already, or not a plain pipe stream
      }
    }
  }

  void started(Process child, long startNanos) {
    Spawn spawn = spawning.get();
    spawning.remove();
    if (spawn == null) {
      return;
    }
    queue.offer(new IpcOp("process", "spawn", "", -1, child.pid(), NativeThreads.current(), startNanos,
        System.nanoTime(), spawn.parent, "ipc.child.command", spawn.command, "ipc.child.stdin", spawn.pipes[0],
        "ipc.child.stdout", spawn.pipes[1], "ipc.child.stderr", spawn.pipes[2]));
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
