package io.ipcscope.agent.config;

/** Where the agent's operations go. */
public enum ExportMode {
  /** To the local collector when its agent socket answers, else OTLP. */
  AUTO,
  /** Only to the local collector; kept (within the queue) and retried while it is away. */
  COLLECTOR,
  /** Straight to an OTLP endpoint, configured with the standard OTEL_* variables. */
  OTLP,
  /** Instrument and count, export nothing (for measuring the agent's own cost). */
  NONE
}
