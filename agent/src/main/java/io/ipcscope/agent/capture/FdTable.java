package io.ipcscope.agent.capture;

import java.io.FileDescriptor;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The descriptors known to be IPC channels, indexed by descriptor number. Every instrumented read and write of a
 * stream asks it first, and most of those are regular files, so a miss costs an array read and a compare and
 * allocates nothing. A descriptor number closed and reused is told apart by the {@link FileDescriptor} object: the
 * new one is a different object.
 */
final class FdTable {

  /** Grows by doubling up to the largest descriptor registered; a process with a million descriptors is rare. */
  private volatile AtomicReferenceArray<ChannelRef> slots = new AtomicReferenceArray<>(1024);

  ChannelRef lookup(FileDescriptor fd, int number) {
    AtomicReferenceArray<ChannelRef> s = slots;
    if (number < 0 || number >= s.length()) {
      return null;
    }
    ChannelRef ref = s.get(number);
    return ref != null && ref.ownedBy(fd) ? ref : null;
  }

  /** Rare (once per channel opened), so it locks: a set racing a grow would otherwise be lost. */
  synchronized void register(int number, ChannelRef ref) {
    if (number < 0) {
      return;
    }
    if (number >= slots.length()) {
      grow(number);
    }
    slots.set(number, ref);
  }

  /** The entry for a number whatever its owner, for replacing a claim on the number alone. */
  synchronized ChannelRef at(int number) {
    return number >= 0 && number < slots.length() ? slots.get(number) : null;
  }

  synchronized void remove(int number, ChannelRef expected) {
    if (number >= 0 && number < slots.length()) {
      slots.compareAndSet(number, expected, null);
    }
  }

  private void grow(int number) {
    AtomicReferenceArray<ChannelRef> old = slots;
    int length = old.length();
    while (length <= number) {
      length *= 2;
    }
    AtomicReferenceArray<ChannelRef> bigger = new AtomicReferenceArray<>(length);
    for (int i = 0; i < old.length(); i++) {
      bigger.set(i, old.get(i));
    }
    slots = bigger;
  }
}
