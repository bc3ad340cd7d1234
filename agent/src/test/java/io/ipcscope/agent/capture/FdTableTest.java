package io.ipcscope.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileDescriptor;
import org.junit.jupiter.api.Test;

class FdTableTest {

  private final FdTable table = new FdTable();
  private final FileDescriptor pipe = new FileDescriptor();
  private final FileDescriptor reused = new FileDescriptor();

  @Test
  void aRegisteredDescriptorIsFoundOnlyWithItsOwnObject() {
    ChannelRef ref = new ChannelRef(pipe, "pipe", "pipe:[7]", 42, false);
    table.register(9, ref);

    assertThat(table.lookup(pipe, 9)).isSameAs(ref);
    assertThat(table.lookup(reused, 9)).as("number closed and reused by another file").isNull();
    assertThat(table.lookup(pipe, 10)).isNull();
    assertThat(table.lookup(pipe, -1)).as("closed").isNull();
  }

  @Test
  void growsToLargeDescriptorNumbersAndKeepsTheOthers() {
    ChannelRef low = new ChannelRef(pipe, "pipe", "pipe:[1]", 0, false);
    ChannelRef high = new ChannelRef(reused, "pipe", "pipe:[2]", 0, false);
    table.register(3, low);
    table.register(70_000, high);

    assertThat(table.lookup(pipe, 3)).isSameAs(low);
    assertThat(table.lookup(reused, 70_000)).isSameAs(high);
    assertThat(table.lookup(reused, 1_000_000)).isNull();
  }

  @Test
  void aClaimOnTheNumberMatchesAnyObjectUntilItIsTiedOrRemoved() {
    ChannelRef claim = new ChannelRef(null, "pipe", "pipe:[5]", 1, false, "ipc.stream", "stdout");
    table.register(4, claim);
    assertThat(table.lookup(reused, 4)).isSameAs(claim);

    ChannelRef tied = claim.ownedBy(pipe, "ipc.stream", "stdout");
    table.register(4, tied);
    assertThat(table.lookup(pipe, 4)).isSameAs(tied);
    assertThat(table.lookup(reused, 4)).isNull();

    table.remove(4, claim);
    assertThat(table.lookup(pipe, 4)).as("only the expected entry is removed").isSameAs(tied);
    table.remove(4, tied);
    assertThat(table.lookup(pipe, 4)).isNull();
  }
}
