package io.ipcscope.collector.otel;

/**
 * The JVM agents' side of the collector's health (docs/AGENT.md): the socket's counts and the join's.
 *
 * @param connected agents connected now
 * @param welcomed hellos answered with a welcome, in all
 * @param rejected hellos refused: a pid that is not the connection's own, a bad hello, too many agents
 * @param badLines lines skipped (or connections closed for them): not JSON, unknown type, missing fields, too long
 * @param ops operations taken from agents, one by one and in summaries (each summary's count)
 * @param bytes bytes those operations moved
 * @param summaries summaries taken from agents: operations an agent folded per stream and window (protocol 2)
 * @param opsDropped operations dropped because the collector's loop had too many waiting
 * @param joined JVM operations joined with the kernel's span of the same thread, time and channel
 * @param unjoined JVM operations of a kind that joins (a transfer, a kill) that found no kernel span
 * @param held kernel events that waited for their agent's mark
 * @param holdTimeouts kernel events that stopped waiting because the hold timeout passed first
 */
public record AgentHealth(int connected, long welcomed, long rejected, long badLines, long ops, long bytes,
    long summaries, long opsDropped, long joined, long unjoined, long held, long holdTimeouts) {

  public static final AgentHealth NONE = new AgentHealth(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
