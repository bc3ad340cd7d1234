package io.ipcscope.tui;

import java.util.List;

/**
 * What the detail pane shows for the selected edge, process or channel: its facts, the latency histogram of what
 * was consumed along it since the dashboard started, its last operations, and the traces they went into.
 *
 * @param facts short "name value" lines, shown in columns
 * @param latencyOf what the histogram counts, e.g. "412 reads seen"
 * @param traceIds the latest distinct traces of its operations, newest first
 * @param tracesNote why there are no trace ids, when there are none
 */
record Detail(String title, List<String> facts, LatencyHistogram latency, String latencyOf, List<EventRow> recent,
    List<String> traceIds, String tracesNote) {}
