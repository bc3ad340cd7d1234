package io.ipcscope.demo.truth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Descriptors one process handed to another over a Unix socket (SCM_RIGHTS).
 *
 * @param kind what the descriptors open: the mechanism id of the object ("posix_shm" for a memfd,
 *     "pipe", "unix_socket"...)
 * @param name a stable human name, unique in the workload, e.g. "memfd"
 * @param via the {@link TruthChannel#name()} of the Unix socket channel that carried them
 * @param count the number of descriptors passed (one per SCM_RIGHTS slot, summed over messages)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TruthFdPass(String kind, String name, long senderPid, long receiverPid, String via, long count) {

  public TruthFdPass {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(via, "via");
  }
}
