package io.ipcscope.agent.config;

/** How operations on a stream become spans. */
public enum Granularity {
  /** A span per read, write, send or receive. */
  OP,
  /**
   * A span per stream (a child's stdin, a socket) from its first operation until it closes or goes quiet, with an
   * event per operation: one span instead of thousands for a long-lived conversation.
   */
  STREAM
}
