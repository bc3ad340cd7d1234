package io.ipcscope.agent.export;

import io.ipcscope.agent.capture.IpcOp;
import java.util.List;

/** Where batches of operations go, on the agent's export thread. */
interface OpExporter extends AutoCloseable {

  /**
   * @param ops operations sent one by one
   * @param summaries operations folded per stream and window (empty unless {@link #takesSummaries()})
   * @return false when the batch could not be delivered (the destination went away); the caller may switch.
   */
  boolean export(List<IpcOp> ops, List<OpSummary> summaries);

  /** Whether summaries can go here; when not, every operation goes out by itself. */
  default boolean takesSummaries() {
    return true;
  }

  /** Called when the queue had nothing for a while: a chance to close idle stream spans or send a heartbeat. */
  default void idle() {}

  /**
   * Delivers what it holds, waiting at most until {@code deadlineNanos} ({@code System.nanoTime()}), less when the
   * destination is known to be down or delivery stops making progress; then lets go of everything.
   */
  default void close(long deadlineNanos) {
    close();
  }

  @Override
  void close();
}
