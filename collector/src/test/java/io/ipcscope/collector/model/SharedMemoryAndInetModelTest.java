package io.ipcscope.collector.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Shared memory, POSIX semaphores and loopback TCP in the model. */
class SharedMemoryAndInetModelTest {

  private static final long MS = 1_000_000L;
  private static final int SHM_DEV = 27;
  private static final long LOCALHOST = 0x7f000001L << 16;

  private final ChannelTable channels = new ChannelTable();
  private final List<ResolvedEvent> out = new ArrayList<>();
  private final PeerJoiner joiner = new PeerJoiner(new ProcessTable(), channels, 100 * MS, out::add);

  /** Two processes map one object: the second's attach names the first; each detach is its own. */
  @Test
  void anAttachNamesEveryoneElseWhoHasTheObjectMapped() {
    joiner.accept(Events.shmAttach(1 * MS, 10, SHM_DEV, 99, 0x7f0000000000L, 4096, "ring/"));
    joiner.accept(Events.shmAttach(2 * MS, 20, SHM_DEV, 99, 0x7f1000000000L, 4096, "ring/"));
    joiner.accept(Events.shmAttach(3 * MS, 30, SHM_DEV, 99, 0x7f2000000000L, 4096, "ring/"));
    joiner.accept(Events.shmDetach(4 * MS, 20, SHM_DEV, 99, 0x7f1000000000L, 4096));
    joiner.accept(Events.shmAttach(5 * MS, 40, SHM_DEV, 99, 0x7f3000000000L, 4096, "ring/"));
    joiner.drain();

    assertThat(out).extracting(ResolvedEvent::sharedWith)
        .containsExactly(List.of(), List.of(10), List.of(10, 20), List.of(), List.of(10, 30));
    assertThat(out.get(2).peerPid()).as("the most recent other attacher").isEqualTo(20);
    assertThat(out.get(0).path()).isEqualTo("/ring");
    assertThat(out.get(0).channel().display()).isEqualTo("posix_shm:[0:27:99]");
  }

  /** A POSIX semaphore is named by the shared mapping its address falls in, per process, until exec. */
  @Test
  void aSemaphoreIsTheMappingItLivesIn() {
    joiner.accept(Events.shmAttach(1 * MS, 10, SHM_DEV, 7, 0x7f0000000000L, 32, "sem.jobs/"));
    joiner.accept(Events.semCall(2 * MS, 10, 0x7f0000000000L, +1));
    joiner.accept(Events.semCall(3 * MS, 10, 0x7f0000001000L, -1)); // beyond its 32 bytes: not this one
    joiner.accept(Events.fork(4 * MS, 10, "p10", 11));
    joiner.accept(Events.semCall(5 * MS, 11, 0x7f0000000000L, -1)); // the child has its parent's mappings
    joiner.accept(Events.exec(6 * MS, 11, "other", "/bin/other"));
    joiner.accept(Events.semCall(7 * MS, 11, 0x7f0000000000L, -1)); // a new program has none
    joiner.drain();

    assertThat(out).filteredOn(r -> r.event().mechanism() == io.ipcscope.probes.event.Mechanism.SEM)
        .extracting(r -> r.channel() == null ? "-" : r.channel().display() + " " + r.path())
        .containsExactly("posix_shm:[0:27:7] /sem.jobs", "-", "posix_shm:[0:27:7] /sem.jobs", "-");
  }

  /**
   * A call whose mapping the kernel could not look up (bpf_find_vma busy) is kept when its address is in a shared
   * mapping we saw, and dropped otherwise: a runtime's private semaphore. One the kernel saw shared is kept even in a
   * mapping we never saw (shared anonymous memory, or mapped before tracing began).
   */
  @Test
  void aSemaphoreTheKernelCouldNotPlaceIsKeptOnlyInAKnownSharedMapping() {
    joiner.accept(Events.shmAttach(1 * MS, 10, SHM_DEV, 7, 0x7f0000000000L, 32, "sem.jobs/"));
    joiner.accept(Events.semCallMappingUnknown(2 * MS, 10, 0x7f0000000000L, +1));
    joiner.accept(Events.semCallMappingUnknown(3 * MS, 10, 0x7f5000000000L, -1)); // HotSpot's own: dropped
    joiner.accept(Events.semCallMappingUnknown(4 * MS, 20, 0x7f0000000000L, -1)); // not mapped by this process
    joiner.accept(Events.semCall(5 * MS, 10, 0x7f6000000000L, -1)); // seen shared by the kernel
    joiner.drain();

    assertThat(out).filteredOn(r -> r.event().mechanism() == io.ipcscope.probes.event.Mechanism.SEM)
        .extracting(r -> r.event().tsNanos() / MS + " " + (r.channel() == null ? "-" : r.path()))
        .containsExactly("2 /sem.jobs", "5 -");
  }

  /** A connect and its accept name each other. */
  @Test
  void aConnectAndItsAcceptNameEachOther() {
    long server = LOCALHOST | 8080;
    long client = LOCALHOST | 40000;
    joiner.accept(Events.tcp(1 * MS, 20, Operation.CONNECT, client, server, 0));
    joiner.accept(Events.tcp(2 * MS, 10, Operation.ACCEPT, server, client, 0));
    joiner.drain();

    assertThat(out).extracting(r -> r.event().op().id() + ":" + r.event().pid() + ">" + r.peerPid())
        .containsExactly("connect:20>10", "accept:10>20");
  }

  /** Both ends of a TCP connection name the same channel per direction, and the listener's address names both. */
  @Test
  void aLoopbackFlowIsOneChannelPerDirectionNamedAfterItsService() {
    long server = LOCALHOST | 8080;
    long client = LOCALHOST | 40000;
    joiner.accept(Events.tcp(1 * MS, 20, Operation.WRITE, client, server, 64));
    joiner.accept(Events.tcp(2 * MS, 10, Operation.ACCEPT, server, client, 0));
    joiner.accept(Events.tcp(3 * MS, 10, Operation.READ, client, server, 64));
    joiner.accept(Events.tcp(4 * MS, 10, Operation.WRITE, server, client, 8));
    joiner.accept(Events.tcp(5 * MS, 20, Operation.READ, server, client, 8));
    joiner.drain();

    assertThat(out).filteredOn(r -> r.channel() != null)
        .extracting(r -> r.event().op().id() + ":" + r.event().pid() + ">" + r.peerPid() + " " + r.channel().display()
            + " " + r.path())
        .containsExactly(
            "write:20>10 tcp:[127.0.0.1:40000->127.0.0.1:8080] 127.0.0.1:8080",
            "accept:10>0 tcp:[127.0.0.1:8080->127.0.0.1:40000] 127.0.0.1:8080", // its connect was not seen
            "read:10>20 tcp:[127.0.0.1:40000->127.0.0.1:8080] 127.0.0.1:8080",
            "write:10>20 tcp:[127.0.0.1:8080->127.0.0.1:40000] 127.0.0.1:8080",
            "read:20>10 tcp:[127.0.0.1:8080->127.0.0.1:40000] 127.0.0.1:8080");
  }
}
