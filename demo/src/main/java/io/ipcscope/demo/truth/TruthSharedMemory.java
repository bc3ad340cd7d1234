package io.ipcscope.demo.truth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * A shared-memory object and every process that mapped (attached) it: an undirected channel.
 *
 * @param mechanism "posix_shm" (shm_open, memfd or a regular file mapped MAP_SHARED) or "sysv_shm"
 * @param name a stable human name, unique in the workload, e.g. "ring"
 * @param path how users name the object: "/dev/shm/NAME" for shm_open, "memfd:NAME" for a memfd,
 *     the file's path for a mapped file, the key as "0x%08x" for System V
 * @param sizeBytes the object's size, which every attacher mapped whole
 * @param attacherPids every process that mapped it (mmap MAP_SHARED or shmat), each once, in
 *     ascending order
 * @param attaches the total number of successful mmap/shmat calls on it, over all attachers
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TruthSharedMemory(
    String mechanism, String name, String path, long sizeBytes, List<Long> attacherPids, long attaches) {

  public TruthSharedMemory {
    requireNonNull(mechanism, "mechanism");
    requireNonNull(name, "name");
    requireNonNull(path, "path");
    attacherPids = attacherPids.stream().sorted().distinct().toList();
  }
}
