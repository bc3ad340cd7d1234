package io.ipcscope.collector.flow;

import io.ipcscope.probes.event.IpcEvent;

/**
 * What a consumer took from one producer.
 *
 * @param producer the write, send or signal generation, already handed on before the consumer
 * @param bytes how many of the producer's bytes this consumer took (a whole message's size for messages, 0 for
 *     signals)
 * @param last true when nothing of the producer is left for a later consumer
 */
public record Cause(IpcEvent producer, long bytes, boolean last) {}
