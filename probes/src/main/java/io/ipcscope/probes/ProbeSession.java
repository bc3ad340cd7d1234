package io.ipcscope.probes;

import static io.ipcscope.probes.event.EventLayout.*;

import com.sun.jna.Memory;
import io.ipcscope.probes.ProbeStatus.State;
import io.ipcscope.probes.bpf.BpfException;
import io.ipcscope.probes.bpf.BpfLink;
import io.ipcscope.probes.bpf.BpfMap;
import io.ipcscope.probes.bpf.BpfObject;
import io.ipcscope.probes.bpf.BpfProgram;
import io.ipcscope.probes.bpf.Errno;
import io.ipcscope.probes.bpf.Libbpf;
import io.ipcscope.probes.bpf.RingBuffer;
import io.ipcscope.probes.bpf.Tracefs;
import io.ipcscope.probes.event.EventDecoder;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.StatDev;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The probes of one tracing session: loaded, attached, and consumed. Open with {@link #open(ProbeConfig)}, then call
 * {@link #poll} in a loop on one thread, and {@link #close()} (also run by a JVM shutdown hook on SIGINT, SIGTERM and
 * exit, so no program stays attached after the JVM).
 *
 * <p>A program that cannot load or attach does not sink the others: it is reported in {@link #status()}. Opening
 * fails only when nothing at all could attach.
 */
public final class ProbeSession implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ProbeSession.class.getName());
  private static final String EVENTS = "events";
  private static final String DROPS = "drops";
  private static final String AGG_STATS = "agg_stats";
  /** Signal sends marked by signal.bpf.o and checked at syscall exit by syscalls.bpf.o. */
  private static final String SIG_SENT = "sig_sent";
  /** Transfers with other hosts, counted but not recorded (syscalls.bpf.o, inet.bpf.h): [0] calls, [1] bytes. */
  private static final String INET_REMOTE = "inet_remote";
  /** The /dev/shm mount's device, kernel encoding: files opened there are shm_open's objects (0: none). */
  private static final int DEV_SHM = devShm();
  private static final List<String> SHARED_MAPS = List.of(EVENTS, DROPS, AGG_STATS, SIG_SENT, INET_REMOTE);
  /** Moves each CPU's aggregate slots into agg_stats (syscalls.bpf.o, never attached). */
  private static final String AGG_FLUSH = "agg_flush";
  /** Small enough that a consumer behind a flood comes up for air (and reports losses) every few ms. */
  private static final int MAX_RECORDS_PER_POLL = 1 << 14;
  private static final long BENCH_CHUNK = 1 << 22;

  private final ProbeConfig config;
  private final List<BpfObject> objects = new ArrayList<>();
  private final Map<BpfObject, ProbeObject> objectSpecs = new HashMap<>();
  private final List<BpfLink> links = new ArrayList<>();
  private final List<ProbeStatus> status = new ArrayList<>();
  private final Map<String, BpfMap> sharedMaps = new LinkedHashMap<>();
  private final EventDecoder decoder = new EventDecoder();
  private final ReentrantLock consumerLock = new ReentrantLock();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  private RingBuffer ring;
  private BpfProgram benchProgram;
  private BpfProgram aggFlushProgram;
  private boolean flushFailureLogged;
  private boolean tracefsTried;

  private EventSink sink;
  private int delivered;
  private final RingBuffer.RecordHandler handler = this::onRecord;

  private ProbeSession(ProbeConfig config) {
    this.config = config;
    this.shutdownHook = new Thread(this::closeFromHook, "ipcscope-probes-shutdown");
  }

  /**
   * Loads process.bpf.o and the objects of the configured mechanisms, writes their config, attaches every program
   * that can be, and maps the ring buffer.
   *
   * @throws BpfException EPERM without privileges, ENOTSUP off x86_64 Linux, or when no program could attach at all
   *     (the message lists each program's reason)
   */
  public static ProbeSession open(ProbeConfig config) {
    return open(config, ProbeObject.forConfig(config));
  }

  static ProbeSession open(ProbeConfig config, List<ProbeObject> objects) {
    if (!Privileges.isX86_64()) {
      throw new BpfException("ipcscope's probes need Linux on x86_64, this is " + System.getProperty("os.name") + " "
          + System.getProperty("os.arch"), Errno.ENOTSUP);
    }
    Privileges privileges = Privileges.current();
    if (!privileges.sufficient()) {
      throw new BpfException("loading probes needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); this process has "
          + privileges.describe(), Errno.EPERM);
    }
    Libbpf.ensureLoaded();
    ProbeSession session = new ProbeSession(config);
    try {
      session.start(objects);
    } catch (RuntimeException | Error e) {
      session.close();
      throw e;
    }
    return session;
  }

  private void start(List<ProbeObject> specs) {
    if (config.closeOnShutdown()) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    // Load everything first, then attach: the window in which records arrive before the consumer is ready stays
    // short (verifying several objects takes a while on a busy host).
    List<Map<String, String>> loadFailures = new ArrayList<>();
    List<BpfObject> loaded = new ArrayList<>();
    for (ProbeObject spec : specs) {
      Map<String, String> failures = new LinkedHashMap<>();
      BpfObject obj = load(spec, failures);
      if (obj != null) {
        loaded.add(obj);
        loadFailures.add(failures);
      }
    }
    BpfMap events = sharedMaps.get(EVENTS);
    if (events == null) {
      throw new BpfException("no probe object could be loaded:\n" + statusReport(), Errno.ENOENT);
    }
    ring = RingBuffer.open(EVENTS, events.fd(), events.maxEntries());
    for (int i = 0; i < loaded.size(); i++) {
      attachAll(objectSpecs.get(loaded.get(i)), loaded.get(i), loadFailures.get(i));
    }
    boolean anyAttached = status.stream().anyMatch(ProbeStatus::attached);
    boolean benchOnly = config.mechanisms().contains(Mechanism.BENCH) && benchProgram != null;
    if (!anyAttached && !benchOnly) {
      throw new BpfException("no probe program could attach:\n" + statusReport(), Errno.ENOENT);
    }
  }

  private String statusReport() {
    StringBuilder sb = new StringBuilder();
    for (ProbeStatus s : status) {
      sb.append("  ").append(s).append('\n');
    }
    return sb.toString();
  }

  /** Loads one object (without the programs the kernel refuses); null when it could not be loaded at all. */
  private BpfObject load(ProbeObject spec, Map<String, String> loadFailures) {
    byte[] elf = spec.elf().get();
    if (elf == null) {
      status.add(new ProbeStatus(spec.mechanism(), spec.file(), "*", "", State.MISSING,
          "not in this build (" + ProbeObject.RESOURCE_DIR + spec.file() + ")"));
      return null;
    }
    BpfObject obj;
    try {
      obj = openConfigured(spec, elf, name -> true);
      try {
        obj.load();
      } catch (BpfException e) {
        obj.close();
        throw e;
      }
    } catch (BpfException whole) {
      LOG.log(Level.FINE, "loading " + spec.file() + " failed, trying its programs one by one", whole);
      obj = loadWithoutCulprits(spec, elf, whole, loadFailures);
    }
    if (obj == null) {
      return null;
    }
    objects.add(obj);
    objectSpecs.put(obj, spec);
    for (String name : SHARED_MAPS) {
      if (!sharedMaps.containsKey(name)) {
        obj.findMap(name).ifPresent(m -> sharedMaps.put(name, m));
      }
    }
    return obj;
  }

  private void attachAll(ProbeObject spec, BpfObject obj, Map<String, String> loadFailures) {
    for (BpfProgram p : obj.programs()) {
      String failure = loadFailures.get(p.name());
      if (failure != null) {
        status.add(new ProbeStatus(spec.mechanism(), spec.file(), p.name(), p.section(), State.LOAD_FAILED, failure));
      } else if (p.fd() < 0) {
        status.add(new ProbeStatus(spec.mechanism(), spec.file(), p.name(), p.section(), State.LOAD_FAILED,
            "not loaded"));
      } else if (p.isTestRunOnly()) {
        status.add(new ProbeStatus(spec.mechanism(), spec.file(), p.name(), p.section(), State.LOADED, ""));
        if (spec.serves().contains(Mechanism.BENCH) && benchProgram == null) {
          benchProgram = p;
        }
        if (p.name().equals(AGG_FLUSH)) {
          aggFlushProgram = p;
        }
      } else {
        attach(spec, p);
      }
    }
  }

  private void attach(ProbeObject spec, BpfProgram p) {
    if (!tracefsTried && (p.section().startsWith("tracepoint/") || p.section().startsWith("tp/"))) {
      tracefsTried = true;
      try {
        Tracefs.ensureMounted();
      } catch (BpfException e) {
        LOG.log(Level.WARNING, "tracefs is not mounted and could not be: tracepoint programs will not attach", e);
      }
    }
    try {
      if (p.isUprobe()) {
        links.addAll(attachToLibcs(p));
      } else {
        links.add(p.attach());
      }
      status.add(new ProbeStatus(spec.mechanism(), spec.file(), p.name(), p.section(), State.ATTACHED, ""));
    } catch (BpfException e) {
      status.add(new ProbeStatus(spec.mechanism(), spec.file(), p.name(), p.section(), State.ATTACH_FAILED,
          e.shortReason()));
    }
  }

  /**
   * A bare uprobe program named {@code libc_FUNCTION} goes on that function of every C library the host's processes
   * map (this process's first): it fails only when this process's own cannot take it.
   */
  private List<BpfLink> attachToLibcs(BpfProgram p) {
    String function = p.name().startsWith(LIBC_PREFIX) ? p.name().substring(LIBC_PREFIX.length()) : p.name();
    if (libcs == null) {
      libcs = SharedLibraries.libcs();
    }
    if (libcs.isEmpty()) {
      throw new BpfException("no C library mapped in /proc/self/maps for " + function, Errno.ENOENT);
    }
    List<BpfLink> attached = new ArrayList<>();
    attached.add(p.attachUprobe(libcs.get(0), function));
    for (String other : libcs.subList(1, libcs.size())) {
      try {
        attached.add(p.attachUprobe(other, function));
      } catch (BpfException e) {
        LOG.log(Level.FINE, "uprobe " + function + " not on " + other + ": " + e.shortReason());
      }
    }
    return attached;
  }

  /** The C libraries the uprobes go on, found once per session. */
  private List<String> libcs;

  private static final String LIBC_PREFIX = "libc_";

  /**
   * The object failed to load as a whole: load each program alone to find the ones the kernel refuses, then load the
   * object without them. Returns null (and reports every program) when even that fails.
   */
  private BpfObject loadWithoutCulprits(ProbeObject spec, byte[] elf, BpfException whole,
      Map<String, String> failures) {
    List<String> names = new ArrayList<>();
    try (BpfObject lister = BpfObject.openMem(spec.file(), elf)) {
      lister.programs().forEach(p -> names.add(p.name()));
    } catch (BpfException e) {
      reportWholeObject(spec, List.of(), e);
      return null;
    }
    for (String name : names) {
      try (BpfObject alone = openConfigured(spec, elf, name::equals)) {
        alone.load();
      } catch (BpfException e) {
        failures.put(name, e.shortReason());
      }
    }
    Set<String> culprits = new HashSet<>(failures.keySet());
    BpfObject rest = null;
    try {
      rest = openConfigured(spec, elf, name -> !culprits.contains(name));
      rest.load();
      return rest;
    } catch (BpfException e) {
      if (rest != null) {
        rest.close();
      }
      reportWholeObject(spec, names, failures.isEmpty() ? whole : e);
      return null;
    }
  }

  private void reportWholeObject(ProbeObject spec, List<String> names, BpfException e) {
    if (names.isEmpty()) {
      status.add(new ProbeStatus(spec.mechanism(), spec.file(), "*", "", State.LOAD_FAILED, e.shortReason()));
    }
    for (String n : names) {
      status.add(new ProbeStatus(spec.mechanism(), spec.file(), n, "", State.LOAD_FAILED, e.shortReason()));
    }
  }

  /** Opens the object, keeps only the programs {@code autoload} accepts, shares the maps and writes cfg. */
  private BpfObject openConfigured(ProbeObject spec, byte[] elf, Predicate<String> autoload) {
    BpfObject obj = BpfObject.openMem(spec.file(), elf);
    try {
      for (BpfProgram p : obj.programs()) {
        if (!autoload.test(p.name())) {
          p.setAutoload(false);
        }
      }
      for (String name : SHARED_MAPS) {
        Optional<BpfMap> m = obj.findMap(name);
        if (m.isEmpty()) {
          continue;
        }
        BpfMap existing = sharedMaps.get(name);
        if (existing != null) {
          m.get().reuseFd(existing.fd());
        } else if (name.equals(EVENTS)) {
          m.get().setMaxEntries(config.ringBytes());
        }
      }
      obj.findMap(".rodata").ifPresent(rodata -> writeConfig(spec, rodata));
      return obj;
    } catch (RuntimeException e) {
      obj.close();
      throw e;
    }
  }

  private void writeConfig(ProbeObject spec, BpfMap rodata) {
    ByteBuffer b = rodata.initialValue();
    if (b.capacity() < CFG_OFFSET + CFG_SIZE) {
      throw new BpfException(spec.file() + ": .rodata is " + b.capacity() + " bytes, smaller than struct"
          + " ipcscope_config (" + CFG_SIZE + "): the object and EventLayout disagree", Errno.EINVAL);
    }
    b.putInt(CFG_OFFSET + CFG_TRACER_TGID, config.tracerPid());
    b.putInt(CFG_OFFSET + CFG_FILTER_TGID, config.filterPid());
    b.putLong(CFG_OFFSET + CFG_MECHANISM_MASK, config.mechanismMask());
    b.putInt(CFG_OFFSET + CFG_AGGREGATE, config.aggregate() ? 1 : 0);
    b.putInt(CFG_OFFSET + CFG_WAKEUP_BYTES, config.wakeupBytes());
    byte[] comm = config.filterComm().getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < CFG_FILTER_COMM_LEN; i++) {
      b.put(CFG_OFFSET + CFG_FILTER_COMM + i, i < comm.length ? comm[i] : 0);
    }
    b.putInt(CFG_OFFSET + CFG_SHM_DEV, DEV_SHM);
  }

  /** Per program: its mechanism, name, hook, and whether it attached or why not. */
  public List<ProbeStatus> status() {
    return Collections.unmodifiableList(status);
  }

  public ProbeConfig config() {
    return config;
  }

  /**
   * Hands every waiting event to {@code sink}, then sleeps until the probes signal that a batch waits (the ring's
   * wake-up threshold) or {@code timeoutMillis} passes, and drains again; with 0 it never sleeps. Returns the number
   * of events delivered. Events are handed over in batches, at most {@code timeoutMillis} late: a consumer that kept
   * up record by record would slow the traced processes (see {@link RingBuffer}). Call from one thread; returns 0
   * once closed.
   */
  public int poll(EventSink sink, long timeoutMillis) {
    consumerLock.lock();
    try {
      if (closed.get()) {
        return 0;
      }
      this.sink = sink;
      this.delivered = 0;
      ring.drain(handler, MAX_RECORDS_PER_POLL);
      if (delivered < MAX_RECORDS_PER_POLL && timeoutMillis != 0) {
        ring.await((int) Math.min(Integer.MAX_VALUE, Math.max(-1, timeoutMillis)));
        if (!closed.get()) {
          ring.drain(handler, MAX_RECORDS_PER_POLL);
        }
      }
      return delivered;
    } finally {
      this.sink = null;
      consumerLock.unlock();
    }
  }

  private void onRecord(ByteBuffer data, int offset, int length) {
    IpcEvent e = decoder.decode(data, offset, length);
    if (e != null) {
      delivered++;
      sink.accept(e);
    }
  }

  /** Records skipped because a newer probe object used a mechanism or operation this version does not know. */
  public long unknownRecords() {
    return decoder.unknownSkipped() + decoder.malformedSkipped();
  }

  /**
   * Runs {@code action} while the session cannot close under it (close takes the same lock before it unmaps the
   * ring and frees the objects), or answers {@code whenClosed}.
   */
  private <T> T whileOpen(java.util.function.Supplier<T> action, T whenClosed) {
    consumerLock.lock();
    try {
      return closed.get() ? whenClosed : action.get();
    } finally {
      consumerLock.unlock();
    }
  }

  /** Records the probes could not write because the ring buffer was full, summed over CPUs. */
  public long drops() {
    return whileOpen(this::readDrops, 0L);
  }

  private long readDrops() {
    return perCpuSum(DROPS, 0);
  }

  /** {@link #drops()} per CPU, indexed by CPU number: which CPUs' events the ring could not hold. */
  public long[] dropsPerCpu() {
    return whileOpen(() -> perCpu(DROPS, 0), new long[0]);
  }

  /**
   * TCP and UDP transfers with other hosts since the session opened: out of scope, so counted in the kernel and not
   * recorded. {@code [calls, bytes]}.
   */
  public long[] remoteInetTransfers() {
    return whileOpen(() -> new long[] {perCpuSum(INET_REMOTE, 0), perCpuSum(INET_REMOTE, 1)}, new long[2]);
  }

  private static int devShm() {
    try {
      long dev = ((Number) java.nio.file.Files.getAttribute(java.nio.file.Path.of("/dev/shm"), "unix:dev")).longValue();
      return StatDev.toKernel(dev);
    } catch (java.io.IOException | RuntimeException e) {
      return 0; // no /dev/shm: shm_open has nowhere to put objects
    }
  }

  /** Entry {@code index} of the per-CPU array {@code mapName}, summed over the CPUs; 0 when there is no such map. */
  private long perCpuSum(String mapName, int index) {
    long sum = 0;
    for (long value : perCpu(mapName, index)) {
      sum += value;
    }
    return sum;
  }

  /** Entry {@code index} of the per-CPU array {@code mapName}, one value per CPU; empty when there is no such map. */
  private long[] perCpu(String mapName, int index) {
    BpfMap map = sharedMaps.get(mapName);
    if (map == null) {
      return new long[0];
    }
    int cpus = Libbpf.numPossibleCpus();
    int stride = (map.valueSize() + 7) & ~7;
    Memory key = new Memory(4);
    key.setInt(0, index);
    Memory value = new Memory((long) stride * cpus);
    value.clear();
    long[] values = new long[cpus];
    if (map.lookup(key, value)) {
      for (int cpu = 0; cpu < cpus; cpu++) {
        values[cpu] = value.getLong((long) cpu * stride);
      }
    }
    return values;
  }

  /**
   * The aggregate-mode counters (struct agg_key → struct agg_value), read now: every CPU's slots are first moved into
   * agg_stats, so the answer holds every operation counted before the call.
   */
  public Map<AggKey, AggValue> aggregates() {
    return whileOpen(this::readAggregates, Map.of());
  }

  private Map<AggKey, AggValue> readAggregates() {
    BpfMap agg = sharedMaps.get(AGG_STATS);
    if (agg == null) {
      return Map.of();
    }
    if (agg.keySize() != AGG_KEY_SIZE || agg.valueSize() != AGG_VALUE_SIZE) {
      throw new BpfException("agg_stats is " + agg.keySize() + " -> " + agg.valueSize() + " bytes, EventLayout says "
          + AGG_KEY_SIZE + " -> " + AGG_VALUE_SIZE, Errno.EINVAL);
    }
    flushAggregateSlots();
    Map<AggKey, AggValue> out = new LinkedHashMap<>();
    agg.forEach(AGG_VALUE_SIZE, (k, v) -> out.put(AggKey.decode(k), AggValue.decode(v)));
    return out;
  }

  /**
   * Runs agg_flush on each online CPU (an IPI to that CPU): the syscall programs count in per-CPU slots first and
   * agg_stats only sees those counts once flushed. Slots that agg_stats cannot take (full) stay counted in the
   * kernel and are retried on the next read.
   */
  private void flushAggregateSlots() {
    if (aggFlushProgram == null || !config.aggregate()) {
      return;
    }
    int unflushed = 0;
    for (int cpu : Libbpf.onlineCpus()) {
      try {
        unflushed += aggFlushProgram.testRunOn(cpu);
      } catch (BpfException e) {
        // typically a CPU that went offline since the list was read: its slots wait for it to come back
        LOG.log(flushFailureLogged ? Level.FINE : Level.WARNING, "aggregate counts of CPU " + cpu
            + " could not be collected now (" + e.shortReason() + "); they stay in the kernel for the next read", e);
        flushFailureLogged = true;
      }
    }
    if (unflushed > 0) {
      LOG.fine(unflushed + " aggregate slots wait for room in agg_stats");
    }
  }

  /**
   * Deletes aggregate rows the caller has read and will not need again, typically those of processes that exited,
   * so that {@code agg_stats} does not fill up on a long run. Returns how many rows were deleted.
   */
  public int forgetAggregates(java.util.Collection<AggKey> keys) {
    return whileOpen(() -> deleteAggregates(keys), 0);
  }

  private int deleteAggregates(java.util.Collection<AggKey> keys) {
    BpfMap agg = sharedMaps.get(AGG_STATS);
    if (agg == null) {
      return 0;
    }
    Memory key = new Memory(AGG_KEY_SIZE);
    ByteBuffer buffer = key.getByteBuffer(0, AGG_KEY_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    int deleted = 0;
    for (AggKey k : keys) {
      if (k.mechanism() == null || k.op() == null) {
        continue; // a row of a newer probe: not ours to encode
      }
      k.encode(buffer);
      if (agg.delete(key)) {
        deleted++;
      }
    }
    return deleted;
  }

  /** True when the bench program (bench.bpf.o) is loaded: config mechanisms include BENCH. */
  public boolean benchAvailable() {
    return benchProgram != null;
  }

  /**
   * Runs the bench program until it has emitted {@code count} synthetic events, draining into {@code sink} between
   * runs. With {@code flowControl} the program stops when the ring is full (no drops); without it, it keeps going
   * and counts drops. Call from the polling thread.
   */
  public BenchResult runBench(long count, boolean flowControl, EventSink sink) {
    if (benchProgram == null) {
      throw new BpfException("bench program not loaded (enable Mechanism.BENCH)", Errno.ENOENT);
    }
    long drops0 = drops();
    long emitted = 0;
    long delivered = 0;
    long drainNanos = 0;
    long t0 = System.nanoTime();
    int idleRuns = 0;
    while (emitted < count) {
      long chunk = Math.min(count - emitted, BENCH_CHUNK);
      long ran = Integer.toUnsignedLong(benchProgram.testRun(chunk, flowControl ? 1 : 0));
      emitted += ran;
      long d0 = System.nanoTime();
      int n;
      long drainedNow = 0;
      while ((n = poll(sink, 0)) > 0) {
        drainedNow += n;
      }
      drainNanos += System.nanoTime() - d0;
      delivered += drainedNow;
      idleRuns = ran == 0 && drainedNow == 0 ? idleRuns + 1 : 0;
      if (idleRuns > 3) {
        throw new BpfException("bench: the program emits nothing and the ring does not drain", Errno.EINVAL);
      }
    }
    return new BenchResult(emitted, delivered, drops() - drops0, System.nanoTime() - t0, drainNanos);
  }

  /** Detaches every program, unmaps the ring and closes the objects. Idempotent; safe from any thread. */
  @Override
  public void close() {
    closeInternal();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // shutting down already, or never registered
    }
  }

  private void closeFromHook() {
    closeInternal();
  }

  private void closeInternal() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (BpfLink link : links) {
      try {
        link.close();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "detaching " + link, e);
      }
    }
    boolean locked = false;
    try {
      locked = consumerLock.tryLock(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (!locked) {
        LOG.warning("poll() still running after 5 s: leaving the ring mapped");
        return;
      }
      if (ring != null) {
        ring.close();
      }
      for (int i = objects.size() - 1; i >= 0; i--) {
        objects.get(i).close();
      }
    } finally {
      if (locked) {
        consumerLock.unlock();
      }
    }
  }
}
