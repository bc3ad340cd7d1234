package io.ipcscope.demo.truth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Data that flowed one way between two processes of a workload.
 *
 * @param mechanism the IPC kind: "pipe", "fifo", ...
 * @param name a stable human name, unique in the workload, e.g. "parent->child stdin"
 * @param messages the number of write() calls the writer made, one per record; null where the
 *     writer is a system tool whose write() count depends on its libc buffering (bytes still exact)
 * @param bytes the total bytes written, which the reader read exactly
 * @param path the filesystem name of the channel (a FIFO's path), null for anonymous ones
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TruthChannel(
    String mechanism,
    String name,
    long writerPid,
    long readerPid,
    /* @Nullable */ Long messages,
    long bytes,
    /* @Nullable */ String path) {

  public TruthChannel {
    requireNonNull(mechanism, "mechanism");
    requireNonNull(name, "name");
  }
}
