package io.ipcscope.demo;

import static java.util.Objects.requireNonNull;

import io.ipcscope.demo.truth.GroundTruth;
import io.ipcscope.demo.truth.TruthChannel;
import io.ipcscope.demo.truth.TruthLock;
import io.ipcscope.demo.truth.TruthLockWait;
import io.ipcscope.demo.truth.TruthFdPass;
import io.ipcscope.demo.truth.TruthProcess;
import io.ipcscope.demo.truth.TruthSemaphore;
import io.ipcscope.demo.truth.TruthSharedMemory;
import io.ipcscope.demo.truth.TruthSignal;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One execution of a workload, seen from the demo process: starts and owns the processes, records
 * the ground truth, and on {@link #close()} (or SIGTERM/SIGINT of the demo, via a shutdown hook)
 * stops whatever is still running and deletes what it created: its temp dir and the resources
 * given to {@link #closeAtEnd}.
 */
public final class Run implements AutoCloseable {

  /** The JDK property choosing how ProcessBuilder starts children. */
  static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

  /**
   * FORK, because the default (POSIX_SPAWN) starts jspawnhelper and writes ~300 bytes of launch
   * data to it over a pipe, and the child pings back: undeclared pipe traffic between the demo and
   * each child. With FORK the only exchange is the JDK's exec-failure pipe, which sees EOF (a
   * zero-byte read) on success. VFORK would do too but is deprecated since JDK 25.
   */
  static final String FORK = "FORK";

  /** Child JVM flags: fast start, small, and no VM output on stdout (it may be a data pipe). */
  private static final List<String> CHILD_JVM_FLAGS =
      List.of(
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xshare:auto",
          "-Xmx64m",
          "-XX:-UsePerfData",
          "--enable-native-access=ALL-UNNAMED",
          "-XX:+DisplayVMOutputToStderr",
          "-Xlog:disable",
          "-Xlog:all=warning:stderr",
          "-D" + LAUNCH_MECHANISM + "=" + FORK);

  /** How a child JVM's stdin and stdout are used. */
  public enum Stdio {
    /** stdin and stdout are workload pipes to the demo process. */
    DATA,
    /** stdin is a pipe the demo never writes (EOF = the demo is gone), stdout is /dev/null. */
    CONTROL
  }

  private final String workload;
  private final Settings settings;
  private final PrintWriter err;
  private final long startedNs;
  private final long deadlineEpochMillis;
  private final long pid = ProcessHandle.current().pid();
  private final Map<Process, TruthProcess> children = new LinkedHashMap<>();
  private final List<TruthChannel> channels = new ArrayList<>();
  private final List<TruthSignal> signals = new ArrayList<>();
  private final List<TruthLock> locks = new ArrayList<>();
  private final List<TruthLockWait> lockWaits = new ArrayList<>();
  private final List<TruthSharedMemory> sharedMemory = new ArrayList<>();
  private final List<TruthSemaphore> semaphores = new ArrayList<>();
  private final List<TruthFdPass> fdPasses = new ArrayList<>();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final List<TruthUnion.Part> parts = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::abort, "ipcscope-demo-cleanup");
  private /* @Nullable */ Path tempDir;
  private volatile boolean aborted;
  private boolean closed;

  public Run(String workload, Settings settings, PrintWriter err) {
    this.workload = requireNonNull(workload, "workload");
    this.settings = requireNonNull(settings, "settings");
    this.err = requireNonNull(err, "err");
    useForkLaunch();
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    startedNs = System.nanoTime();
    deadlineEpochMillis =
        settings.continuous()
            ? System.currentTimeMillis() + Math.max(1, Math.round(settings.durationSeconds() * 1000))
            : 0;
  }

  /** Chooses FORK unless the user chose a mechanism; must run before this JVM's first exec. */
  static void useForkLaunch() {
    if (System.getProperty(LAUNCH_MECHANISM) == null) {
      System.setProperty(LAUNCH_MECHANISM, FORK);
    }
  }

  public String workload() {
    return workload;
  }

  public Settings settings() {
    return settings;
  }

  /** The demo process's pid, the "parent" of the truth. */
  public long pid() {
    return pid;
  }

  /** Where this run prints its announcement and cleanup problems. */
  PrintWriter err() {
    return err;
  }

  /** A pacer for a sender in this process. */
  public Pacer pacer() {
    return new Pacer(settings.messages(), settings.rate(), deadlineEpochMillis);
  }

  /** True once the demo was told to stop (SIGTERM/SIGINT); errors after that are expected. */
  public boolean aborted() {
    return aborted;
  }

  /**
   * A private directory for FIFOs and child reports, deleted on close: {@code
   * ipcscope-demo-WORKLOAD-PID-RANDOM} in java.io.tmpdir, so that {@code demo --cleanup} can tell
   * whose it is ({@link #tempDirs}) when a killed demo leaves it.
   */
  public synchronized Path tempDir() throws IOException {
    if (tempDir == null) {
      tempDir = Files.createTempDirectory(tempDirPrefix(workload) + pid + "-");
    }
    return tempDir;
  }

  /** A run's temp dir and the pid of its demo. */
  record TempDir(Path dir, long demoPid) {}

  private static String tempDirPrefix(String workload) {
    return "ipcscope-demo-" + workload + "-";
  }

  /** The temp dirs in {@code tmpDir} of runs of {@code workload} ({@link #tempDir} backwards), by name. */
  static List<TempDir> tempDirs(Path tmpDir, String workload) throws IOException {
    Pattern name = Pattern.compile(Pattern.quote(tempDirPrefix(workload)) + "([1-9][0-9]{0,9})-[^/]+");
    try (Stream<Path> entries = Files.list(tmpDir)) {
      List<TempDir> dirs = new ArrayList<>();
      for (Path dir : entries.sorted().toList()) {
        Matcher m = name.matcher(dir.getFileName().toString());
        if (m.matches() && Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          dirs.add(new TempDir(dir, Long.parseLong(m.group(1))));
        }
      }
      return dirs;
    }
  }

  /** The temp dirs of {@code workload}'s runs, as leftovers: removed with what they hold. */
  static Leftovers tempDirs(String workload) {
    return new Leftovers() {
      @Override
      public String kind() {
        return "temp dir";
      }

      @Override
      public List<Leftovers.Found> find(Leftovers.Host host) throws IOException {
        List<Leftovers.Found> found = new ArrayList<>();
        for (TempDir t : tempDirs(host.tmpDir(), workload)) {
          found.add(new Leftovers.Found(kind(), t.dir().toString(), t.demoPid(), lastModified(t.dir()),
              () -> deleteTree(t.dir())));
        }
        return found;
      }
    };
  }

  /** When {@code path} was last modified, or the epoch if it is gone: never later than the truth. */
  static Instant lastModified(Path path) {
    try {
      return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS).toInstant();
    } catch (IOException e) {
      return Instant.EPOCH;
    }
  }

  /**
   * Writes {@code content} to {@code file} atomically (a temp file renamed into place): a child
   * polling for the file never reads half of it.
   */
  static void writeAtomically(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Closes {@code resource} when the run ends, after its processes stopped, also on SIGTERM/SIGINT:
   * then the JVM halts once the shutdown hooks ran, and the workload's own finally never runs. For
   * what outlives processes (System V and POSIX message queues); close() must be idempotent, as
   * the workload may close it first. Later resources close first.
   */
  public <T extends AutoCloseable> T closeAtEnd(T resource) throws Exception {
    synchronized (this) {
      if (!closed) {
        resources.push(resource);
        return resource;
      }
    }
    resource.close();
    throw new IllegalStateException("demo " + workload + " is stopping");
  }

  /**
   * Starts a child JVM running {@link DemoChild} in {@code role}. Its stderr is the demo's; a
   * CONTROL child gets a result file in {@link #tempDir()} that {@link #result} reads.
   */
  public Process startChild(String role, Stdio stdio, List<String> extra, Map<String, String> env)
      throws IOException {
    Path resultFile = stdio == Stdio.CONTROL ? tempDir().resolve(role + ".result") : null;
    List<String> command = new ArrayList<>();
    command.add(javaCommand());
    command.addAll(CHILD_JVM_FLAGS);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DemoChild.class.getName());
    command.addAll(ChildContext.arguments(workload, role, settings, deadlineEpochMillis, resultFile));
    command.addAll(extra);
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    if (stdio == Stdio.CONTROL) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    builder.environment().putAll(env);
    return register(start(builder, role), role, comm(command.get(0)));
  }

  /** Starts a pipeline of system tools ({@link ProcessBuilder#startPipeline}); roles name its stages. */
  public List<Process> startPipeline(List<ProcessBuilder> stages, List<String> roles) throws IOException {
    if (stages.size() != roles.size()) {
      throw new IllegalArgumentException("one role per stage: " + roles);
    }
    checkOpen();
    List<Process> processes;
    try {
      processes = ProcessBuilder.startPipeline(stages);
    } catch (IOException e) {
      throw new IOException("starting pipeline " + roles + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < processes.size(); i++) {
      register(processes.get(i), roles.get(i), comm(stages.get(i).command().get(0)));
    }
    return processes;
  }

  private Process start(ProcessBuilder builder, String role) throws IOException {
    checkOpen();
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IOException("starting " + role + " (" + builder.command().get(0) + "): " + e.getMessage(), e);
    }
  }

  private synchronized Process register(Process process, String role, String comm) {
    children.put(process, new TruthProcess(process.pid(), role, comm));
    if (closed) {
      // Started while another thread stopped the run (demo all): stop it like the others.
      closeQuietly(process);
      process.destroyForcibly();
    }
    return process;
  }

  private synchronized void checkOpen() {
    if (closed || aborted) {
      throw new IllegalStateException("demo " + workload + " is stopping");
    }
  }

  /** Prints {@code demo NAME: pids parent=.. ROLE=..} to stderr unless quiet. */
  public void announce() {
    if (!settings.quiet()) {
      err.println("demo " + workload + ": pids " + processes().stream()
          .map(p -> p.role() + "=" + p.pid())
          .collect(Collectors.joining(" ")));
      err.flush();
    }
  }

  /** Waits until every given child exited with status 0; fails as soon as one exits otherwise. */
  public void await(Process... processes) throws InterruptedException {
    await(List.of(processes), List.of());
  }

  /**
   * Waits until every process of {@code exiting} exited with status 0 while those of {@code
   * staying} keep running (servers told to stop only afterwards); fails as soon as one of {@code
   * exiting} exits otherwise or one of {@code staying} exits at all.
   */
  public void await(List<Process> exiting, List<Process> staying) throws InterruptedException {
    List<Process> running = new ArrayList<>(exiting);
    while (!running.isEmpty()) {
      for (Process p : staying) {
        if (!p.isAlive()) {
          throw new IllegalStateException(describe(p) + " exited early, with status " + p.exitValue());
        }
      }
      for (var it = running.iterator(); it.hasNext(); ) {
        Process p = it.next();
        if (p.waitFor(10, TimeUnit.MILLISECONDS)) {
          it.remove();
          if (p.exitValue() != 0) {
            throw new IllegalStateException(describe(p) + " exited with status " + p.exitValue());
          }
        }
      }
    }
  }

  /** The report a CONTROL child wrote before exiting with status 0. */
  public Properties result(String role) throws IOException {
    Path file = tempDir().resolve(role + ".result");
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      props.load(r);
    } catch (IOException e) {
      throw new IOException("reading the report of " + role + ": " + e.getMessage(), e);
    }
    return props;
  }

  /** One count from {@link #result}. */
  public long resultCount(String role, String key) throws IOException {
    String value = result(role).getProperty(key);
    if (value == null) {
      throw new IOException(role + " reported no " + key);
    }
    return Long.parseLong(value);
  }

  public synchronized long pidOf(String role) {
    return children.values().stream()
        .filter(p -> p.role().equals(role))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no process with role " + role))
        .pid();
  }

  /** Records a one-way channel; channels that carried nothing are left out (the kernel saw none). */
  public synchronized void channel(
      String mechanism, String name, long writerPid, long readerPid,
      /* @Nullable */ Long messages, long bytes, /* @Nullable */ String path) {
    if (bytes > 0) {
      channels.add(new TruthChannel(mechanism, name, writerPid, readerPid, messages, bytes, path));
    }
  }

  /** Records signals sent; a zero count is left out. */
  public synchronized void signal(
      String signal, long senderPid, long targetPid, long count, String origin, /* @Nullable */ Long value) {
    if (count > 0) {
      signals.add(new TruthSignal(signal, senderPid, targetPid, count, origin, value));
    }
  }

  /** Records the file locks {@code pid} took on {@code path}; a zero count is left out. */
  public synchronized void lock(String kind, String name, String path, long pid, long acquires) {
    if (acquires > 0) {
      locks.add(new TruthLock(kind, name, path, pid, acquires));
    }
  }

  /** Records acquisitions of {@code waiterPid} that slept behind {@code holderPid}; a zero count is left out. */
  public synchronized void lockWait(String kind, String name, long waiterPid, long holderPid, long count) {
    if (count > 0) {
      lockWaits.add(new TruthLockWait(kind, name, waiterPid, holderPid, count));
    }
  }

  /** Records a shared-memory object and who mapped it; one nobody mapped is left out. */
  public synchronized void sharedMemory(
      String mechanism, String name, String path, long sizeBytes, List<Long> attacherPids, long attaches) {
    if (attaches > 0) {
      sharedMemory.add(new TruthSharedMemory(mechanism, name, path, sizeBytes, attacherPids, attaches));
    }
  }

  /** Records what {@code pid} did to a semaphore; a process that did nothing is left out. */
  public synchronized void semaphore(String kind, String name, String path, long pid, long posts, long waits) {
    if (posts + waits > 0) {
      semaphores.add(new TruthSemaphore(kind, name, path, pid, posts, waits));
    }
  }

  /** Records descriptors passed over a Unix socket channel; a zero count is left out. */
  public synchronized void fdPass(String kind, String name, long senderPid, long receiverPid, String via, long count) {
    if (count > 0) {
      fdPasses.add(new TruthFdPass(kind, name, senderPid, receiverPid, via, count));
    }
  }

  /**
   * Records the SIGCHLD the kernel sends the demo when each given child exits. Certain unless the
   * demo ignores SIGCHLD (inherited SIG_IGN), in which case the kernel reaps silently and we record
   * nothing.
   */
  public void childExitSignals(Process... exited) {
    if (ignoresSigchld()) {
      return;
    }
    for (Process p : exited) {
      signal("SIGCHLD", p.pid(), pid, 1, TruthSignal.KERNEL, null);
    }
  }

  static boolean ignoresSigchld() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines
          .filter(l -> l.startsWith("SigIgn:"))
          .map(l -> Long.parseUnsignedLong(l.substring(7).trim(), 16))
          .anyMatch(mask -> (mask & (1L << (Libc.SIGCHLD - 1))) != 0);
    } catch (IOException e) {
      return true; // Unknown: claim nothing.
    }
  }

  /** The parent and every started process, in start order. */
  public synchronized List<TruthProcess> processes() {
    List<TruthProcess> all = new ArrayList<>();
    all.add(new TruthProcess(pid, "parent", selfComm()));
    all.addAll(children.values());
    return all;
  }

  /**
   * Adds the truth of another workload's run from this process ({@code demo all}) to this run's:
   * its processes, channels, signals, ... with roles and names prefixed by {@code prefix} and "/",
   * its parent (this process) once.
   */
  public synchronized void include(String prefix, GroundTruth part) {
    parts.add(new TruthUnion.Part(prefix, part));
  }

  /** The ground truth recorded so far (with what {@link #include} added), ending now. */
  public synchronized GroundTruth truth(long endedNs) {
    GroundTruth own = new GroundTruth(workload, startedNs, endedNs, processes(), channels, signals, locks, lockWaits,
        sharedMemory, semaphores, fdPasses);
    return parts.isEmpty() ? own : TruthUnion.of(own, parts);
  }

  private synchronized String describe(Process p) {
    TruthProcess t = children.get(p);
    return (t == null ? "process" : t.role()) + " (pid " + p.pid() + ")";
  }

  /**
   * Stops the run from outside its workload (SIGTERM/SIGINT, or {@code demo all} when another
   * workload failed): marks it aborted, so that the workload's errors are expected, and cleans up.
   */
  void abort() {
    aborted = true;
    cleanup();
  }

  /** Stops what still runs, deletes the temp dir, and removes the shutdown hook. */
  @Override
  public void close() {
    cleanup();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or ran.
    }
  }

  private synchronized void cleanup() {
    if (closed) {
      return;
    }
    closed = true;
    List<Process> alive = children.keySet().stream().filter(Process::isAlive).toList();
    // Closing stdin is enough for our children (EOF); system tools get SIGKILL after a grace period.
    for (Process p : children.keySet()) {
      closeQuietly(p);
    }
    waitAll(alive, 1500);
    alive.stream().filter(Process::isAlive).forEach(Process::destroyForcibly);
    waitAll(alive, 2000);
    closeResources();
    deleteTempDir();
  }

  private void closeResources() {
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (Exception e) {
        err.println("demo " + workload + ": cleaning up: " + WorkloadCommand.oneLine(e));
        err.flush();
      }
    }
  }

  private static void closeQuietly(Process p) {
    try {
      p.getOutputStream().close();
    } catch (IOException ignored) {
      // Already closed or broken: the child sees EOF either way.
    }
  }

  private static void waitAll(List<Process> processes, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    for (Process p : processes) {
      try {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          p.waitFor(left, TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void deleteTempDir() {
    if (tempDir == null) {
      return;
    }
    try {
      deleteTree(tempDir);
    } catch (IOException e) {
      err.println("demo " + workload + ": could not delete " + tempDir + ": " + e.getMessage());
      err.flush();
    }
  }

  /** Deletes {@code dir} and everything in it; symbolic links are deleted, not followed. */
  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String javaCommand() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The kernel's comm of a program: its file name, cut to TASK_COMM_LEN - 1. */
  static String comm(String program) {
    String name = Path.of(program).getFileName().toString();
    return name.length() > 15 ? name.substring(0, 15) : name;
  }

  private static String selfComm() {
    try {
      return Files.readString(Path.of("/proc/self/comm")).strip();
    } catch (IOException e) {
      return "java";
    }
  }
}
