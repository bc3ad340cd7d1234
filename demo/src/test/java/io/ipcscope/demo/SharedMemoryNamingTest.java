package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** How the shared-memory workloads name their objects, and read a demo's pid back: no processes, no root. */
class SharedMemoryNamingTest {

  @Test
  void posixShmNamesCarryThePidAndLiveInDevShm() {
    assertThat(PosixShmWorkload.objectName(41394)).isEqualTo("/ipcscope-demo-41394-ring");
    assertThat(PosixShmWorkload.semaphoreName(41394, "empty")).isEqualTo("/ipcscope-demo-41394-empty");
    assertThat(PosixShm.objectPath("/ipcscope-demo-41394-ring")).isEqualTo(Path.of("/dev/shm/ipcscope-demo-41394-ring"));
    assertThat(PosixShm.semaphorePath("/ipcscope-demo-41394-full"))
        .isEqualTo(Path.of("/dev/shm/sem.ipcscope-demo-41394-full"));
    assertThat(PosixShmWorkload.objectDemoPid(PosixShmWorkload.objectName(41394))).hasValue(41394);
    assertThat(PosixShmWorkload.semaphoreDemoPid(PosixShmWorkload.semaphoreName(41394, "full"))).hasValue(41394);
    for (String other : List.of("/ipcscope-demo-41394", "/ipcscope-demo-41394-empty", "/ipcscope-demo-x-ring",
        "/ipcscope-demo-0123-ring", "ipcscope-demo-12-ring", "/ipcscope-demo-12-ring2")) {
      assertThat(PosixShmWorkload.objectDemoPid(other)).as(other).isEqualTo(OptionalLong.empty());
    }
    for (String other : List.of("/ipcscope-demo-41394", "/ipcscope-demo-41394-ring", "/ipcscope-demo-12-emptyx",
        "/ipcscope-demo-12345678901-full")) {
      assertThat(PosixShmWorkload.semaphoreDemoPid(other)).as(other).isEqualTo(OptionalLong.empty());
    }
  }

  @Test
  void aSysvShmKeyGivesBackThePidItWasMadeFrom() {
    assertThat(SysvShmWorkload.key(41394)).isEqualTo(0x5300a1b2);
    assertThat(SysvShmWorkload.keyPath(0x5300a1b2)).isEqualTo("0x5300a1b2");
    assertThat(SysvShmWorkload.semaphorePath(0x5300a1b2, 1)).isEqualTo("0x5300a1b2[1]");
    assertThat(SysvShmWorkload.demoPid(SysvShmWorkload.key(4194304))).hasValue(4194304); // pid_max
    assertThat(SysvShmWorkload.demoPid(SysvMqWorkload.key(41394))).isEmpty(); // A message queue's key.
    assertThat(SysvShmWorkload.demoPid(0x53000000)).isEmpty();
    assertThat(SysvShmWorkload.demoPid(0)).isEmpty();
    assertThatThrownBy(() -> SysvShmWorkload.key(0x01000000)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ringsShrinkForLargeRecordsButKeepTwoSlots() {
    assertThat(ShmRing.bytes(100)).isEqualTo(8 * (16 + 104));
    assertThat(ShmRing.slots(6_000_000)).isEqualTo(5);
    assertThat(ShmRing.slots(Settings.MAX_SIZE)).isEqualTo(2);
    assertThat(ShmRing.handovers(0)).isEqualTo(1);
    assertThat(ShmRing.handovers(7)).isEqualTo(7);
    assertThat(MmapFileWorkload.bytes(1)).isEqualTo(128 + 8 * 8);
    assertThat(MmapFileWorkload.slots(Settings.MAX_SIZE)).isEqualTo(2);
  }
}
