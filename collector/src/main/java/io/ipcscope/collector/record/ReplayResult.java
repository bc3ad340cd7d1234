package io.ipcscope.collector.record;

import io.ipcscope.collector.pipeline.ModelDriver;
import java.util.Optional;

/**
 * What a replay rebuilt.
 *
 * @param events kernel events replayed
 * @param lostEvents events the kernel dropped while recording, as recorded
 * @param error why the replay stopped before the recording's end record (truncated, corrupt, diverged); everything
 *     before that point was replayed
 * @param driver the model as the replay left it, drained
 */
public record ReplayResult(RecordingHeader header, long events, long lostEvents, Optional<String> error,
    ModelDriver driver) {}
