package io.ipcscope.tui;

import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.talk.TalkGraph;

/**
 * What the dashboard shows at one moment: the who-talks-to-whom graph and the collector's health, as published by
 * whoever runs the model (probes in this process, a running collector, a recording).
 *
 * @param atNanos CLOCK_MONOTONIC time of the snapshot; rates are computed between frames
 * @param epochOffsetNanos wall-clock epoch nanoseconds minus CLOCK_MONOTONIC nanoseconds, to show times
 */
public record TopFrame(TalkGraph.Snapshot graph, CollectorHealth health, long atNanos, long epochOffsetNanos) {}
