package io.ipcscope.agent.capture;

/**
 * The JDK's "process reaper" thread, which waits for children to exit and then drains what is left in their stdout
 * and stderr pipes into memory: reads it makes on behalf of the code that started the child, in no span of its own.
 */
final class ProcessReaper {

  /** The thread's name in JDK 11 to 25 (ProcessHandleImpl), which adds " (pid N)" while it waits for a child. */
  private static final String NAME = "process reaper";

  private ProcessReaper() {}

  /** Allocates nothing: asked only for a known channel's read made outside any span. */
  static boolean isCurrent() {
    return Thread.currentThread().getName().startsWith(NAME);
  }
}
