package io.ipcscope.demo;

import static java.util.Objects.requireNonNull;

import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.TruthChannel;
import io.ipcscope.demo.truth.TruthFdPass;
import io.ipcscope.demo.truth.TruthLock;
import io.ipcscope.demo.truth.TruthLockWait;
import io.ipcscope.demo.truth.TruthProcess;
import io.ipcscope.demo.truth.TruthSemaphore;
import io.ipcscope.demo.truth.TruthSharedMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The truth of workloads run side by side from one demo process ({@code demo all}): one truth
 * with every part's processes and records, roles and names prefixed by the part's name
 * ("pipe/child", "pipe/parent->child stdin"), so that they stay unique. Signals have no name
 * and keep theirs. The demo process is every part's "parent": listed once, unprefixed.
 */
final class TruthUnion {

  /** One workload's truth and the prefix of its roles and names. */
  record Part(String prefix, GroundTruth truth) {
    Part {
      requireNonNull(prefix, "prefix");
      requireNonNull(truth, "truth");
    }

    String name(String name) {
      return prefix + "/" + name;
    }
  }

  private TruthUnion() {}

  /** {@code own} (the workload "all", its parent, its own records) with every part added in order. */
  static GroundTruth of(GroundTruth own, List<Part> parts) {
    long parent = own.pid("parent");
    List<TruthProcess> processes = new ArrayList<>(own.processes());
    for (Part p : parts) {
      for (TruthProcess t : p.truth().processes()) {
        if (t.pid() != parent) {
          processes.add(new TruthProcess(t.pid(), p.name(t.role()), t.comm()));
        }
      }
    }
    return new GroundTruth(own.workload(), own.startedNs(), own.endedNs(), processes,
        union(own, parts, GroundTruth::channels, (p, c) -> new TruthChannel(
            c.mechanism(), p.name(c.name()), c.writerPid(), c.readerPid(), c.messages(), c.bytes(), c.path())),
        union(own, parts, GroundTruth::signals, (p, s) -> s),
        union(own, parts, GroundTruth::locks, (p, l) -> new TruthLock(
            l.kind(), p.name(l.name()), l.path(), l.pid(), l.acquires())),
        union(own, parts, GroundTruth::lockWaits, (p, w) -> new TruthLockWait(
            w.kind(), p.name(w.name()), w.waiterPid(), w.holderPid(), w.count())),
        union(own, parts, GroundTruth::sharedMemory, (p, m) -> new TruthSharedMemory(
            m.mechanism(), p.name(m.name()), m.path(), m.sizeBytes(), m.attacherPids(), m.attaches())),
        union(own, parts, GroundTruth::semaphores, (p, s) -> new TruthSemaphore(
            s.kind(), p.name(s.name()), s.path(), s.pid(), s.posts(), s.waits())),
        union(own, parts, GroundTruth::fdPasses, (p, f) -> new TruthFdPass(
            f.kind(), p.name(f.name()), f.senderPid(), f.receiverPid(), p.name(f.via()), f.count())));
  }

  private interface Rename<T> {
    T apply(Part part, T record);
  }

  private static <T> List<T> union(
      GroundTruth own, List<Part> parts, Function<GroundTruth, List<T>> list, Rename<T> rename) {
    List<T> all = new ArrayList<>(list.apply(own));
    for (Part p : parts) {
      for (T t : list.apply(p.truth())) {
        all.add(rename.apply(p, t));
      }
    }
    return all;
  }
}
