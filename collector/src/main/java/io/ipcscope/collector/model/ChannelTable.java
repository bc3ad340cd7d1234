package io.ipcscope.collector.model;

import io.ipcscope.probes.event.ExecPath;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Who holds which end of every pipe, FIFO and queue, who was last seen using it, and what Unix sockets are called.
 *
 * <p>Holdings come from pipe creation, FIFO opens, fork inheritance and the /proc scan at start; activity comes from
 * reads and writes. Activity is the stronger evidence: a shell that created a pipeline's pipe still "holds" it in
 * this model after it closed its copies (closes are not traced: too frequent to be worth their cost), but only the
 * processes at the two ends ever read and write it. Sockets' names and connections ({@link SocketDirectory}) and
 * shared mappings ({@link SharedMappings}) are kept apart and consulted here. Not thread-safe: one consumer thread
 * owns it.
 */
public final class ChannelTable {

  private long forgotten;

  private static final int O_ACCMODE = 3;
  private static final int O_WRONLY = 1;
  private static final int O_RDWR = 2;
  private static final long O_CLOEXEC = 02000000;

  private final HoldingCheck holdingCheck;
  private final Map<ChannelKey, Map<Integer, Endpoint>> endpoints = new HashMap<>();
  private final Map<Integer, Set<ChannelKey>> byProcess = new HashMap<>();
  private final Map<ChannelKey, String> paths = new HashMap<>();
  private final SocketDirectory sockets = new SocketDirectory();
  private final SharedMappings sharedMappings;
  /** Channels with an exited writer still remembered: what {@link #prune} looks at. */
  private final Set<ChannelKey> exitedWriters = new HashSet<>();

  /** A table that names mapped files from the records alone. */
  public ChannelTable() {
    this(MappingNamer.FROM_RECORD, HoldingCheck.TRUST);
  }

  public ChannelTable(MappingNamer mappingNamer, HoldingCheck holdingCheck) {
    this.sharedMappings = new SharedMappings(mappingNamer);
    this.holdingCheck = holdingCheck;
  }

  /** The channel an event operates on, when its mechanism has channels and the event names one. */
  public static Optional<ChannelKey> channelOf(IpcEvent e) {
    if (e.channelId() == 0) {
      return Optional.empty();
    }
    if (e.mechanism() == Mechanism.TCP || e.mechanism() == Mechanism.UDP) {
      // connect and accept: the flow from their local end to their remote one
      return Optional.of(ChannelKey.inetFlow(e.mechanism(), e.channelId(), e.extra()));
    }
    return ChannelKey.of(e.mechanism(), e.channelDev(), e.channelId());
  }

  /**
   * The channel an event operates on, like {@link #channelOf}, and also for a datagram sent to a Unix socket by name
   * (the kernel knows only the name then): the socket last seen bound to that name.
   */
  public Optional<ChannelKey> channelFor(IpcEvent e) {
    if (e.channelId() != 0) {
      return channelOf(e);
    }
    if (e.mechanism() == Mechanism.SEM && e.extra() != 0) {
      return sharedMappings.at(e.pid(), e.extra()); // sem_post/sem_wait: the shared object the semaphore lives in
    }
    return sockets.channelOf(e);
  }

  /** sem.bpf.c's status of a libc semaphore call whose mapping the kernel could not look up (bpf_find_vma busy). */
  static final int SEM_MAPPING_UNKNOWN = 1;

  /**
   * A libc semaphore call that is not IPC as far as anyone can tell: the kernel could not look up its mapping, and no
   * shared mapping of the process that we saw holds its address. Such calls are a runtime's private semaphores
   * (HotSpot's own), which the kernel skips whenever its lookup succeeds.
   */
  public boolean isUnplacedSemaphore(IpcEvent e) {
    return e.mechanism() == Mechanism.SEM && e.channelId() == 0 && e.status() == SEM_MAPPING_UNKNOWN
        && (e.op() == Operation.POST || e.op() == Operation.WAIT) && sharedMappings.at(e.pid(), e.extra()).isEmpty();
  }

  /** The path an event names, as users write it: glibc's mq_open and mq_unlink drop a queue name's leading '/'. */
  /** A LINK record's new and old names. */
  public static String[] linkNames(IpcEvent e) {
    return SharedMappings.linkNames(e);
  }

  static String pathOf(IpcEvent e) {
    if (e.op() == Operation.LINK) {
      return SharedMappings.linkNames(e)[0];
    }
    if (e.op() == Operation.EXEC) {
      return ExecPath.file(e);
    }
    return e.mechanism() == Mechanism.POSIX_MQ && !e.path().isEmpty() ? "/" + e.path() : e.path();
  }

  /** Records a hold found by scanning /proc at start. */
  public void seed(ChannelKey channel, int pid, boolean canRead, boolean canWrite, String path) {
    hold(channel, pid, canRead, canWrite, false, 0);
    if (path != null && !path.isEmpty()) {
      paths.putIfAbsent(channel, path);
    }
  }

  public void apply(IpcEvent e) {
    switch (e.op()) {
      case FORK -> {
        inherit(e.pid(), e.peerPid(), e.tsNanos());
        sharedMappings.forked(e.pid(), e.peerPid()); // a forked child has its parent's mappings
      }
      case EXEC -> {
        dropCloseOnExec(e.pid());
        dropMappings(e.pid()); // a new program starts with no mappings of the old one
      }
      case EXIT -> {
        if (e.mechanism() == Mechanism.PROCESS) {
          exited(e.pid(), e.tsNanos());
        }
      }
      case LINK -> sharedMappings.renamed(e);
      default -> {
        sockets.learn(e);
        channelFor(e).ifPresent(channel -> applyChannelEvent(channel, e));
      }
    }
  }

  private void applyChannelEvent(ChannelKey channel, IpcEvent e) {
    if (e.op() == Operation.FD_RECEIVE) {
      receivedDescriptor(e);
      return;
    }
    if (e.mechanism() == Mechanism.UNIX_SOCKET && !isSocketTransfer(e.op())) {
      return; // a socket's ends are the processes that use it: SO_PEERCRED names the other when none was seen
    }
    if (isShared(e.mechanism())) {
      applySharedEvent(channel, e);
      return;
    }
    switch (e.op()) {
      case CREATE -> hold(channel, e.pid(), true, true, (e.extra() & O_CLOEXEC) != 0, e.tsNanos());
      case OPEN -> {
        if (e.mechanism() == Mechanism.SYSV_MQ) {
          return; // msgget holds nothing: any process that knows the id may send or receive
        }
        int mode = (int) e.extra() & O_ACCMODE;
        hold(channel, e.pid(), mode != O_WRONLY, mode == O_WRONLY || mode == O_RDWR,
            (e.extra() & O_CLOEXEC) != 0, e.tsNanos());
        if (!e.path().isEmpty()) {
          paths.put(channel, pathOf(e));
        }
      }
      case READ, RECEIVE -> update(channel, e.pid(), e.tsNanos(), false);
      case WRITE, SEND -> update(channel, e.pid(), e.tsNanos(), true);
      default -> { }
    }
  }

  /**
   * A pipe or FIFO received over a Unix socket (SCM_RIGHTS): its new holder may read or write it from now on, so it
   * becomes a candidate when a guess is needed, as if it had inherited it.
   */
  private void receivedDescriptor(IpcEvent e) {
    ChannelKey passed = ChannelKey.passedBy(e);
    boolean pipeLike = passed.mechanism() == Mechanism.PIPE || passed.mechanism() == Mechanism.FIFO;
    if (pipeLike && e.result() >= 0) {
      hold(passed, e.pid(), true, true, false, e.tsNanos());
    }
  }

  static boolean isShared(Mechanism mechanism) {
    return mechanism == Mechanism.POSIX_SHM || mechanism == Mechanism.SYSV_SHM || mechanism == Mechanism.SEM;
  }

  /**
   * Shared memory: its holders are the processes that have it mapped (attach to detach or exit). System V objects are
   * named by their key, as ipcs shows it; a memfd by its name, as /proc shows it.
   */
  private void applySharedEvent(ChannelKey channel, IpcEvent e) {
    if (e.result() < 0) {
      return;
    }
    switch (e.op()) {
      case ATTACH -> {
        hold(channel, e.pid(), true, true, false, e.tsNanos());
        if (e.mechanism() == Mechanism.POSIX_SHM) {
          sharedMappings.attached(channel, e);
        }
      }
      case DETACH -> {
        if (sharedMappings.detached(channel, e)) {
          detach(channel, e.pid()); // its last mapping of the object
        }
      }
      case OPEN -> {
        if (e.mechanism() == Mechanism.POSIX_SHM) {
          sharedMappings.named(channel, e.path()); // shm_open: the object's path as opened, /dev/shm/NAME
        } else if ((int) e.extra() != 0) { // IPC_PRIVATE has no name
          paths.put(channel, String.format("0x%08x", (int) e.extra()));
        }
      }
      case CREATE -> sharedMappings.named(channel, "memfd:" + e.path());
      case REMOVE -> paths.remove(channel);
      default -> { }
    }
  }

  private static boolean isSocketTransfer(Operation op) {
    return op == Operation.READ || op == Operation.WRITE || op == Operation.SEND || op == Operation.RECEIVE;
  }

  private void hold(ChannelKey channel, int pid, boolean read, boolean write, boolean cloexec, long nanos) {
    endpoints.computeIfAbsent(channel, k -> new HashMap<>())
        .merge(pid, Endpoint.holding(pid, read, write, cloexec, nanos), (old, fresh) -> old.merge(read, write, cloexec));
    byProcess.computeIfAbsent(pid, k -> new HashSet<>()).add(channel);
  }

  private void update(ChannelKey channel, int pid, long nanos, boolean write) {
    Map<Integer, Endpoint> holders = endpoints.computeIfAbsent(channel, k -> new HashMap<>());
    Endpoint current = holders.getOrDefault(pid, Endpoint.holding(pid, false, false, false, nanos));
    holders.put(pid, write ? current.writing(nanos) : current.reading(nanos));
    byProcess.computeIfAbsent(pid, k -> new HashSet<>()).add(channel);
  }

  private void inherit(int parent, int child, long nanos) {
    Set<ChannelKey> held = byProcess.get(parent);
    if (held == null || child == 0) {
      return;
    }
    Set<ChannelKey> inherited = new HashSet<>();
    for (ChannelKey channel : held) {
      Map<Integer, Endpoint> holders = endpoints.get(channel);
      Endpoint fromParent = holders == null ? null : holders.get(parent);
      if (fromParent != null && fromParent.alive()) {
        holders.put(child, fromParent.inheritedBy(child, nanos));
        inherited.add(channel);
      }
    }
    byProcess.put(child, inherited);
  }

  private void detach(ChannelKey channel, int pid) {
    removeEndpoint(channel, pid);
    Set<ChannelKey> held = byProcess.get(pid);
    if (held != null) {
      held.remove(channel);
    }
  }

  /** Forgets the shared memory {@code pid} has mapped (exec, exit). */
  private void dropMappings(int pid) {
    sharedMappings.forget(pid);
    Set<ChannelKey> held = byProcess.get(pid);
    if (held == null) {
      return;
    }
    List<ChannelKey> shared = held.stream().filter(c -> c.mechanism() == Mechanism.POSIX_SHM
        || c.mechanism() == Mechanism.SYSV_SHM).toList();
    shared.forEach(channel -> detach(channel, pid));
  }

  private void dropCloseOnExec(int pid) {
    Set<ChannelKey> held = byProcess.get(pid);
    if (held == null) {
      return;
    }
    held.removeIf(channel -> {
      Map<Integer, Endpoint> holders = endpoints.get(channel);
      Endpoint endpoint = holders == null ? null : holders.get(pid);
      if (endpoint != null && endpoint.closeOnExec() && endpoint.lastReadNanos() == 0 && endpoint.lastWriteNanos() == 0) {
        removeEndpoint(channel, pid);
        return true;
      }
      return false;
    });
  }

  /**
   * A writer's bytes outlive it in the pipe: a reader that takes them later still reads from that writer, so an
   * exited writer stays (as a writer only) until {@link #prune}. Everything else the process held goes.
   */
  private void exited(int pid, long nanos) {
    sharedMappings.forget(pid);
    Set<ChannelKey> held = byProcess.remove(pid);
    if (held == null) {
      return;
    }
    for (ChannelKey channel : held) {
      Map<Integer, Endpoint> holders = endpoints.get(channel);
      Endpoint endpoint = holders == null ? null : holders.get(pid);
      if (endpoint == null) {
        continue;
      }
      if (endpoint.lastWriteNanos() > 0) {
        endpoints.get(channel).put(pid, endpoint.exited(nanos));
        exitedWriters.add(channel);
      } else {
        removeEndpoint(channel, pid);
      }
    }
  }

  /** Forgets writers that exited more than {@code retentionNanos} before {@code nowNanos}. */
  public void prune(long nowNanos, long retentionNanos) {
    exitedWriters.removeIf(channel -> {
      Map<Integer, Endpoint> holders = endpoints.get(channel);
      if (holders == null) {
        return true;
      }
      List<Integer> gone = new ArrayList<>();
      boolean anyLeft = false;
      for (Endpoint ep : holders.values()) {
        if (!ep.alive() && nowNanos - ep.exitedNanos() > retentionNanos) {
          gone.add(ep.pid());
        } else if (!ep.alive()) {
          anyLeft = true;
        }
      }
      gone.forEach(pid -> {
        removeEndpoint(channel, pid);
        Set<ChannelKey> held = byProcess.get(pid);
        if (held != null) {
          held.remove(channel); // a reused pid may list it: it holds it no more
        }
      });
      return !anyLeft;
    });
  }

  private void removeEndpoint(ChannelKey channel, int pid) {
    Map<Integer, Endpoint> holders = endpoints.get(channel);
    if (holders == null) {
      return;
    }
    holders.remove(pid);
    if (holders.isEmpty()) {
      endpoints.remove(channel);
      forgotten++;
      if (channel.mechanism() != Mechanism.SYSV_SHM) { // a segment outlives its attachers, until IPC_RMID
        paths.remove(channel);
      }
    }
  }

  /**
   * The process most recently seen doing the opposite of {@code actorWrites} on the channel, other than the actor:
   * for a write, the last reader; for a read, the last writer.
   */
  public OptionalInt activePeer(ChannelKey channel, int actor, boolean actorWrites) {
    Map<Integer, Endpoint> holders = endpoints.get(channel);
    if (holders == null) {
      return OptionalInt.empty();
    }
    int best = 0;
    long bestNanos = 0;
    for (Endpoint ep : holders.values()) {
      long seen = actorWrites ? (ep.alive() ? ep.lastReadNanos() : 0) : ep.lastWriteNanos();
      if (ep.pid() != actor && seen > bestNanos) {
        best = ep.pid();
        bestNanos = seen;
      }
    }
    return bestNanos == 0 ? OptionalInt.empty() : OptionalInt.of(best);
  }

  /**
   * When nobody was seen at the other end: the process that most recently came to hold the opposite end. A guess
   * between holders that may have closed their copy; used only after the activity window has passed.
   */
  public OptionalInt holderPeer(ChannelKey channel, int actor, boolean actorWrites) {
    return holderPeer(channel, actor, actorWrites, false);
  }

  /**
   * As {@link #holderPeer(ChannelKey, int, boolean)}; with {@code verify}, each candidate's holding is first checked
   * ({@link HoldingCheck}): one that no longer holds the channel is passed over, and forgotten when it never used it.
   * For guesses about the present (who will read what was just written), not about the past (whom an open met).
   */
  public OptionalInt holderPeer(ChannelKey channel, int actor, boolean actorWrites, boolean verify) {
    Map<Integer, Endpoint> holders = endpoints.get(channel);
    if (holders == null) {
      return OptionalInt.empty();
    }
    List<Endpoint> candidates = holders.values().stream()
        .filter(ep -> ep.pid() != actor && ep.alive() && (actorWrites ? ep.canRead() : ep.canWrite()))
        .sorted(java.util.Comparator.comparingLong(Endpoint::sinceNanos).reversed())
        .toList();
    for (Endpoint ep : candidates) {
      if (!verify || holdingCheck.stillHolds(ep.pid(), channel)) {
        return OptionalInt.of(ep.pid());
      }
      if (ep.lastReadNanos() == 0 && ep.lastWriteNanos() == 0) {
        detach(channel, ep.pid()); // it closed its copy without using it: never a peer here
      }
    }
    return OptionalInt.empty();
  }

  /** Processes holding at least {@code threshold} channels: candidates for {@link #retainHoldings}. */
  public List<Integer> heavyHolders(int threshold) {
    List<Integer> heavy = new ArrayList<>();
    byProcess.forEach((pid, held) -> {
      if (held.size() >= threshold) {
        heavy.add(pid);
      }
    });
    return heavy;
  }

  /**
   * Closes are not traced, so a long-lived shell that runs pipeline after pipeline would seem to hold every pipe it
   * ever made; this drops the holdings of {@code pid} that its fd table (read from /proc) no longer has.
   */
  public void retainHoldings(int pid, Set<ChannelKey> stillOpen) {
    Set<ChannelKey> held = byProcess.get(pid);
    if (held == null) {
      return;
    }
    held.removeIf(channel -> {
      if (stillOpen.contains(channel)) {
        return false;
      }
      removeEndpoint(channel, pid);
      return true;
    });
  }

  /** True when {@code pid} holds or uses the channel and is alive. */
  public boolean isHeldBy(ChannelKey channel, int pid) {
    Map<Integer, Endpoint> holders = endpoints.get(channel);
    Endpoint endpoint = holders == null ? null : holders.get(pid);
    return endpoint != null && endpoint.alive();
  }

  /** True when {@code pid} is alive and holds the channel's writing end (its stdout into a pager, say). */
  public boolean isWrittenBy(ChannelKey channel, int pid) {
    Map<Integer, Endpoint> holders = endpoints.get(channel);
    Endpoint endpoint = holders == null ? null : holders.get(pid);
    return endpoint != null && endpoint.alive() && endpoint.canWrite();
  }

  /** Every live process holding or using the channel. */
  public List<Integer> holders(ChannelKey channel) {
    Map<Integer, Endpoint> holders = endpoints.get(channel);
    return holders == null ? List.of()
        : holders.values().stream().filter(Endpoint::alive).map(Endpoint::pid).toList();
  }

  public Optional<String> path(ChannelKey channel) {
    String path = paths.get(channel);
    if (path != null) {
      return Optional.of(path);
    }
    return channel.mechanism() == Mechanism.POSIX_SHM ? sharedMappings.name(channel) : sockets.name(channel);
  }

  /** Channels forgotten once nobody held them, since the start. */
  public long forgotten() {
    return forgotten;
  }

  public int channelCount() {
    return endpoints.size();
  }
}
