package io.ipcscope.agent.capture;

/**
 * {@code sun.misc.Signal}: a handler installed ({@code handle}), a signal sent to this very JVM ({@code raise}), and
 * each received signal the JVM's Signal Dispatcher thread hands to its Java handler ({@code deliver}). Who sent a
 * received signal Java never learns: the kernel's event of the same signal names the sender.
 */
final class SignalOps {

  private static final long SELF = ProcessHandle.current().pid();

  private final OpQueue queue;
  private final TraceContexts contexts;

  SignalOps(OpQueue queue, TraceContexts contexts) {
    this.queue = queue;
    this.contexts = contexts;
  }

  void handled(int number, long startNanos) {
    queue.offer(new IpcOp("signal", "handle", "", -1, 0, NativeThreads.current(), startNanos, System.nanoTime(),
        contexts.current(), "ipc.signal", SignalNames.name(number), "ipc.api", "sun.misc.Signal"));
  }

  void raised(int number, long startNanos) {
    queue.offer(new IpcOp("signal", "raise", "", -1, SELF, NativeThreads.current(), startNanos, System.nanoTime(),
        contexts.current(), "ipc.signal", SignalNames.name(number), "ipc.api", "sun.misc.Signal"));
  }

  /** On the Signal Dispatcher thread, for every signal with a Java handler: the application's or the JVM's own. */
  void dispatched(int number, long startNanos) {
    queue.offer(new IpcOp("signal", "deliver", "", -1, 0, NativeThreads.current(), startNanos, System.nanoTime(),
        contexts.current(), "ipc.signal", SignalNames.name(number)));
  }
}
