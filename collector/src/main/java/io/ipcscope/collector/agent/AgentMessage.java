package io.ipcscope.collector.agent;

/**
 * What the agent socket's thread hands the collector's loop, in the order it happened: an agent said hello (and was
 * welcomed), an operation, a summary of operations, a mark, an agent went away.
 */
public sealed interface AgentMessage {

  /** The process the message is about: the connection's peer, as SO_PEERCRED named it. */
  int pid();

  /** A JVM was welcomed: from now on its kernel events wait for its marks. */
  record Hello(int pid, String service, String agentVersion, String runtime) implements AgentMessage {}

  /** An operation of the JVM {@code op.pid()}. */
  record Op(AgentOp op) implements AgentMessage {
    @Override
    public int pid() {
      return op.pid();
    }
  }

  /**
   * {@code count} operations of the JVM {@code op.pid()} folded into one (protocol 2): one stream (channel, thread,
   * mechanism, operation) in one window, {@code op.bytes()} their total, {@code op.startNanos()} the first's start,
   * {@code op.endNanos()} the last's end, the parent span the first's.
   */
  record Summary(AgentOp op, long count) implements AgentMessage {
    @Override
    public int pid() {
      return op.pid();
    }
  }

  /** Every operation of {@code pid} that ended before {@code sentThroughNanos} has been sent. */
  record Mark(int pid, long sentThroughNanos, long accepted, long dropped) implements AgentMessage {}

  /** The connection of {@code pid} closed: its kernel events no longer wait. */
  record Gone(int pid) implements AgentMessage {}
}
