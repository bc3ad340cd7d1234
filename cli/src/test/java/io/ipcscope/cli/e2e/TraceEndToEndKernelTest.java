package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.probes.KernelTestSupport;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipcscope trace --json} against workloads of ordinary system tools whose every syscall is known: the
 * events must say exactly what happened, with both ends named.
 */
@ExtendWith(KernelTestSupport.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TraceEndToEndKernelTest {

  /**
   * Two util-linux flock(1) contend for one file: the second waits for the first, names it, and takes the lock once
   * the first releases it on exit; each release comes after its process's exit record and is still shown.
   */
  @Test
  void flockContentionNamesWhoWaitedForWhom() throws Exception {
    Path file = dir.resolve("lock");
    List<JsonNode> events;
    try (TracerProcess tracer = TracerProcess.start(dir, "--mechanism", "file_lock", "--", "sh", "-c",
        "flock " + file + " sleep 0.5 & sleep 0.2; flock " + file + " true; wait")) {
      events = tracer.awaitExit(60);
    }
    List<JsonNode> locks = events.stream().filter(e -> e.path("mechanism").asText().equals("file_lock")).toList();
    assertThat(locks).extracting(e -> e.path("op").asText()).containsExactly(
        "acquire", "wait", "release", "acquire", "release");
    long holder = locks.get(0).path("pid").asLong();
    long waiter = locks.get(1).path("pid").asLong();
    assertThat(holder).isNotEqualTo(waiter);
    assertThat(locks).extracting(e -> e.path("pid").asLong() + ">" + e.path("peer_pid").asLong())
        .containsExactly(holder + ">0", waiter + ">" + holder, holder + ">0", waiter + ">" + holder, waiter + ">0");
    assertThat(locks).allSatisfy(e -> {
      assertThat(e.path("comm").asText()).isEqualTo("flock");
      assertThat(e.path("lock_kind").asText()).isEqualTo("flock");
      assertThat(e.path("channel").asText()).isEqualTo(locks.get(0).path("channel").asText());
      assertThat(e.path("range_end").asText()).isEqualTo("eof");
      assertThat(e.path("result").asInt()).isZero();
    });
    assertThat(locks.get(1).path("sleeps").asBoolean()).isTrue();
    // the holder keeps the lock for its 0.5 s sleep; the waiter asks about 0.2 s in and so waits about 0.3 s
    assertThat(locks.get(3).path("waited_ns").asLong()).isBetween(100_000_000L, 1_000_000_000L);
    assertThat(locks).extracting(e -> e.path("lock").asText())
        .containsExactly("write", "write", "unlock", "write", "unlock");
  }

  /** util-linux's ipcmk creates a System V queue and ipcrm removes it: one open and one remove, same queue id. */
  @Test
  void ipcmkAndIpcrmCreateAndRemoveOneSystemVQueue() throws Exception {
    List<JsonNode> events;
    long id;
    try (TracerProcess tracer = TracerProcess.start(dir, "--mechanism", "sysv_mq,process")) {
      Process mk = new ProcessBuilder("ipcmk", "-Q").redirectErrorStream(true).start();
      String said = new String(mk.getInputStream().readAllBytes()).trim(); // "Message queue id: 3"
      assertThat(mk.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(said).matches("Message queue id: \\d+");
      id = Long.parseLong(said.replaceAll("\\D", ""));
      Process rm = new ProcessBuilder("ipcrm", "-q", Long.toString(id)).redirectErrorStream(true).start();
      assertThat(rm.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(rm.exitValue()).isZero();
      events = tracer.stop();
    }
    String channel = "sysv_mq:[" + id + "]";
    assertThat(where(events, "sysv_mq", "open", 0)).filteredOn(e -> e.path("comm").asText().equals("ipcmk"))
        .singleElement().satisfies(open -> {
          assertThat(open.path("channel").asText()).isEqualTo(channel);
          assertThat(open.path("result").asLong()).isEqualTo(id);
          assertThat(open.path("key").asText()).matches("0x[0-9a-f]{8}");
          assertThat(open.path("syscall_nr").asInt()).isEqualTo(68); // msgget
        });
    assertThat(where(events, "sysv_mq", "remove", 0)).filteredOn(e -> e.path("comm").asText().equals("ipcrm"))
        .singleElement().satisfies(remove -> {
          assertThat(remove.path("channel").asText()).isEqualTo(channel);
          assertThat(remove.path("result").asLong()).isZero();
          assertThat(remove.path("syscall_nr").asInt()).isEqualTo(71); // msgctl
        });
  }

  /**
   * socat(1) between two Unix sockets: 100000 bytes over a stream bound to a path, written by one socat and read by
   * the other, the reads still naming the writer's socket after it closed; then one datagram to an abstract name,
   * resolved by that name to the receiving socket.
   */
  @Test
  void socatOverUnixSocketsIsExactWithBothEndsNamed() throws Exception {
    int n = 100_000;
    Path sock = dir.resolve("s.sock");
    String name = "ipcscope-test-" + ProcessHandle.current().pid();
    List<JsonNode> events;
    try (TracerProcess tracer = TracerProcess.start(dir, "--mechanism", "unix_socket", "--", "sh", "-c",
        "socat -u UNIX-LISTEN:" + sock + " OPEN:/dev/null & while [ ! -S " + sock + " ]; do sleep 0.02; done; "
            + "head -c " + n + " /dev/zero | socat -u - UNIX-CONNECT:" + sock + "; wait; "
            + "socat -u ABSTRACT-RECVFROM:" + name + " OPEN:/dev/null & sleep 0.3; "
            + "printf hello | socat -u - ABSTRACT-SENDTO:" + name + "; wait")) {
      events = tracer.awaitExit(60);
    }
    List<JsonNode> writes = where(events, "unix_socket", "write", 0);
    List<JsonNode> reads = where(events, "unix_socket", "read", 0);
    assertThat(sumBytes(writes)).isEqualTo(n);
    assertThat(sumBytes(reads)).isEqualTo(n);
    long writer = writes.get(0).path("pid").asLong();
    long reader = reads.get(0).path("pid").asLong();
    assertThat(writer).isNotEqualTo(reader);
    String channel = writes.get(0).path("channel").asText();
    assertThat(channel).matches("socket:\\[\\d+\\]");
    assertThat(writes).allSatisfy(w -> {
      assertThat(w.path("pid").asLong()).isEqualTo(writer);
      assertThat(w.path("peer_pid").asLong()).isEqualTo(reader);
      assertThat(w.path("channel").asText()).isEqualTo(channel);
      assertThat(w.path("path").asText()).isEqualTo(sock.toString());
      assertThat(w.path("socket_type").asText()).isEqualTo("stream");
    });
    assertThat(reads).allSatisfy(r -> {
      assertThat(r.path("pid").asLong()).isEqualTo(reader);
      assertThat(r.path("peer_pid").asLong()).isEqualTo(writer);
      assertThat(r.path("channel").asText()).isEqualTo(channel);
      assertThat(r.path("path").asText()).isEqualTo(sock.toString());
    });
    assertThat(where(events, "unix_socket", "accept", reader)).singleElement()
        .satisfies(a -> assertThat(a.path("peer_pid").asLong()).isEqualTo(writer));

    JsonNode send = where(events, "unix_socket", "send", 0).stream().filter(e -> e.path("bytes").asLong() > 0)
        .collect(Collectors.toList()).get(0);
    JsonNode receive = where(events, "unix_socket", "receive", 0).stream().filter(e -> e.path("bytes").asLong() > 0)
        .collect(Collectors.toList()).get(0);
    assertThat(send.path("bytes").asLong()).isEqualTo(5);
    assertThat(receive.path("bytes").asLong()).isEqualTo(5);
    assertThat(send.path("path").asText()).isEqualTo("@" + name);
    assertThat(send.path("channel").asText()).isEqualTo(receive.path("channel").asText());
    assertThat(send.path("peer_pid").asLong()).isEqualTo(receive.path("pid").asLong());
    assertThat(receive.path("peer_pid").asLong()).isEqualTo(send.path("pid").asLong());
    assertThat(where(events, "unix_socket", "bind", receive.path("pid").asLong())).singleElement()
        .satisfies(b -> assertThat(b.path("path").asText()).isEqualTo("@" + name));
  }

  /**
   * util-linux's ipcmk and ipcrm on a System V shared memory segment and a semaphore set: each open names its key and
   * size, each remove the same id.
   */
  @Test
  void ipcmkAndIpcrmCreateAndRemoveASegmentAndASemaphoreSet() throws Exception {
    List<JsonNode> events;
    long shmid;
    long semid;
    try (TracerProcess tracer = TracerProcess.start(dir, "--mechanism", "sysv_shm,sem,process")) {
      shmid = idFrom(run("ipcmk", "-M", "8192"), "Shared memory id: ");
      semid = idFrom(run("ipcmk", "-S", "3"), "Semaphore id: ");
      run("ipcrm", "-m", Long.toString(shmid));
      run("ipcrm", "-s", Long.toString(semid));
      events = tracer.stop();
    }
    assertThat(where(events, "sysv_shm", "open", 0)).filteredOn(e -> e.path("comm").asText().equals("ipcmk"))
        .singleElement().satisfies(open -> {
          assertThat(open.path("channel").asText()).isEqualTo("sysv_shm:[" + shmid + "]");
          assertThat(open.path("bytes").asLong()).isEqualTo(8192);
          assertThat(open.path("path").asText()).isEqualTo(open.path("key").asText()).matches("0x[0-9a-f]{8}");
        });
    assertThat(where(events, "sysv_shm", "remove", 0)).filteredOn(e -> e.path("comm").asText().equals("ipcrm"))
        .singleElement().satisfies(r -> assertThat(r.path("channel").asText()).isEqualTo("sysv_shm:[" + shmid + "]"));
    assertThat(where(events, "sem", "open", 0)).filteredOn(e -> e.path("comm").asText().equals("ipcmk"))
        .singleElement().satisfies(open -> {
          assertThat(open.path("channel").asText()).isEqualTo("sem:[" + semid + "]");
          assertThat(open.path("nsems").asLong()).isEqualTo(3);
        });
    assertThat(where(events, "sem", "remove", 0)).filteredOn(e -> e.path("comm").asText().equals("ipcrm"))
        .singleElement().satisfies(r -> assertThat(r.path("channel").asText()).isEqualTo("sem:[" + semid + "]"));
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + said).isZero();
    return said;
  }

  private static long idFrom(String said, String prefix) {
    assertThat(said).startsWith(prefix);
    return Long.parseLong(said.substring(prefix.length()).trim());
  }

  /**
   * Load: every demo workload at once, as fast as they go, under a tracer with the smallest ring. The demo must finish
   * unharmed, the tracer must stop promptly on SIGTERM, and what could not be recorded must be counted and shown: the
   * "lost" records add up to the count in the summary, and what was recorded to its event count.
   */
  @Test
  void everyWorkloadFlatOutNeitherWedgesTheTracerNorLosesAnythingUncounted() throws Exception {
    List<JsonNode> events;
    String stderr;
    try (TracerProcess tracer = TracerProcess.start(dir, "--ring-size", "1")) {
      List<String> cmd = new java.util.ArrayList<>(TracerProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
      cmd.addAll(List.of("demo", "all", "--duration", "4", "--rate", "0", "--quiet"));
      Process demo = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      assertThat(demo.waitFor(90, TimeUnit.SECONDS)).as("demo all ends").isTrue();
      assertThat(demo.exitValue()).as("demo all exit code").isZero();
      events = tracer.stop();
      stderr = tracer.stderr();
    }
    java.util.regex.Matcher summary = java.util.regex.Pattern
        .compile("ipcscope: (\\d+) events in [0-9.]+ s \\(.*\\); lost (\\d+)").matcher(stderr);
    assertThat(summary.find()).as("the summary line in:\n" + stderr).isTrue();
    long lostShown = events.stream().filter(e -> e.path("op").asText().equals("lost"))
        .mapToLong(e -> e.path("count").asLong()).sum();
    long recorded = events.stream().filter(e -> !e.path("mechanism").asText().equals("ipcscope")).count();
    assertThat(lostShown).isEqualTo(Long.parseLong(summary.group(2)));
    assertThat(recorded).isEqualTo(Long.parseLong(summary.group(1)));
    // flat out, the byte streams fill the ring first; which of the others make it in four seconds varies
    assertThat(events.stream().map(e -> e.path("mechanism").asText()).collect(Collectors.toSet()))
        .contains("process", "pipe", "signal").hasSizeGreaterThanOrEqualTo(6);
  }

  /** One sendmmsg of three datagrams (10, 20, 30 bytes) is three sends, each paired with its own receive. */
  @Test
  void sendmmsgIsOneSendPerMessage() throws Exception {
    String script = String.join("\n",
        "import ctypes, socket",
        "libc = ctypes.CDLL('libc.so.6', use_errno=True)",
        "class iovec(ctypes.Structure): _fields_ = [('base', ctypes.c_void_p), ('len', ctypes.c_size_t)]",
        "class msghdr(ctypes.Structure): _fields_ = [('name', ctypes.c_void_p), ('namelen', ctypes.c_uint32),"
            + " ('iov', ctypes.POINTER(iovec)), ('iovlen', ctypes.c_size_t), ('control', ctypes.c_void_p),"
            + " ('controllen', ctypes.c_size_t), ('flags', ctypes.c_int)]",
        "class mmsghdr(ctypes.Structure): _fields_ = [('hdr', msghdr), ('len', ctypes.c_uint)]",
        "a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)",
        "bufs = [ctypes.create_string_buffer(b'm' * (10 * (i + 1))) for i in range(3)]",
        "iovs = [iovec(ctypes.cast(bufs[i], ctypes.c_void_p), 10 * (i + 1)) for i in range(3)]",
        "msgs = (mmsghdr * 3)()",
        "for i in range(3): msgs[i].hdr.iov = ctypes.pointer(iovs[i]); msgs[i].hdr.iovlen = 1",
        "assert libc.sendmmsg(a.fileno(), msgs, 3, 0) == 3",
        "for i in range(3): assert len(b.recv(100)) == 10 * (i + 1)");
    List<JsonNode> events;
    try (TracerProcess tracer = TracerProcess.start(dir, "--mechanism", "unix_socket", "--", "python3", "-c",
        script)) {
      events = tracer.awaitExit(60);
    }
    List<JsonNode> sends = where(events, "unix_socket", "send", 0);
    List<JsonNode> receives = where(events, "unix_socket", "receive", 0);
    assertThat(sends).extracting(e -> e.path("bytes").asLong()).containsExactly(10L, 20L, 30L);
    assertThat(sends).allSatisfy(e -> assertThat(e.path("syscall_nr").asInt()).isEqualTo(307)); // sendmmsg
    assertThat(receives).extracting(e -> e.path("bytes").asLong()).containsExactly(10L, 20L, 30L);
    assertThat(receives).extracting(e -> e.path("channel").asText())
        .containsOnly(sends.get(0).path("channel").asText());
  }

  @TempDir Path dir;

  private static Process sh(String script) throws Exception {
    return new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
  }

  private static List<JsonNode> where(List<JsonNode> events, String mechanism, String op, long pid) {
    return events.stream()
        .filter(e -> e.path("mechanism").asText().equals(mechanism) && e.path("op").asText().equals(op))
        .filter(e -> pid == 0 || e.path("pid").asLong() == pid)
        .collect(Collectors.toList());
  }

  private static long sumBytes(List<JsonNode> events) {
    return events.stream().mapToLong(e -> e.path("bytes").asLong()).sum();
  }

  @Test
  void headPipedToCatIsExactlyNBytesEachWayWithBothEndsNamed() throws Exception {
    int n = 100_000;
    List<JsonNode> events;
    long shPid;
    try (TracerProcess tracer = TracerProcess.start(dir)) {
      Process p = sh("head -c " + n + " /dev/zero | cat >/dev/null");
      shPid = p.pid();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      events = tracer.stop();
    }
    List<JsonNode> writes = events.stream()
        .filter(e -> e.path("op").asText().equals("write") && e.path("comm").asText().equals("head")
            && e.path("mechanism").asText().equals("pipe"))
        .toList();
    assertThat(writes).isNotEmpty();
    long headPid = writes.get(0).path("pid").asLong();
    List<JsonNode> reads = events.stream()
        .filter(e -> e.path("op").asText().equals("read") && e.path("comm").asText().equals("cat")
            && e.path("mechanism").asText().equals("pipe") && e.path("bytes").asLong() > 0)
        .toList();
    assertThat(reads).isNotEmpty();
    long catPid = reads.get(0).path("pid").asLong();
    String channel = writes.get(0).path("channel").asText();

    assertThat(channel).matches("pipe:\\[\\d+]");
    assertThat(sumBytes(writes)).isEqualTo(n);
    assertThat(sumBytes(reads)).isEqualTo(n);
    assertThat(writes).allSatisfy(w -> {
      assertThat(w.path("channel").asText()).isEqualTo(channel);
      assertThat(w.path("pid").asLong()).isEqualTo(headPid);
      assertThat(w.path("peer_pid").asLong()).isEqualTo(catPid);
      assertThat(w.path("peer_comm").asText()).isEqualTo("cat");
      assertThat(w.path("result").asLong()).isEqualTo(w.path("bytes").asLong());
    });
    assertThat(reads).allSatisfy(r -> {
      assertThat(r.path("channel").asText()).isEqualTo(channel);
      assertThat(r.path("peer_pid").asLong()).isEqualTo(headPid);
      assertThat(r.path("peer_comm").asText()).isEqualTo("head");
    });
    // The shell made the pipe and both ends are its children.
    assertThat(where(events, "pipe", "create", shPid)).extracting(e -> e.path("channel").asText()).contains(channel);
    assertThat(where(events, "process", "fork", shPid)).extracting(e -> e.path("peer_pid").asLong())
        .contains(headPid, catPid);
    // each exec carries its program's file and its command line, read in the kernel at exec
    assertThat(where(events, "process", "exec", headPid)).singleElement().satisfies(exec -> {
      assertThat(exec.path("path").asText()).isEqualTo("/usr/bin/head");
      assertThat(exec.path("args").asText()).isEqualTo("head -c " + n + " /dev/zero");
    });
  }

  @Test
  void fifoCreateOpenWriteReadNameThePathAndBothEnds() throws Exception {
    Path fifo = dir.resolve("demo.fifo");
    List<JsonNode> events;
    long shPid;
    try (TracerProcess tracer = TracerProcess.start(dir, "--mechanism", "fifo,process")) {
      // sh opens the FIFO for writing itself (printf is a builtin), cat opens it for reading.
      Process p = sh("mkfifo " + fifo + " && { cat " + fifo + " >/dev/null & printf hello > " + fifo + "; wait; }");
      shPid = p.pid();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      events = tracer.stop();
    }
    List<JsonNode> creates = where(events, "fifo", "create", 0);
    assertThat(creates).singleElement().satisfies(c -> {
      assertThat(c.path("path").asText()).isEqualTo(fifo.toString());
      assertThat(c.path("comm").asText()).isEqualTo("mkfifo");
      assertThat(c.path("result").asLong()).isZero();
    });
    List<JsonNode> writes = where(events, "fifo", "write", shPid);
    assertThat(writes).singleElement().satisfies(w -> assertThat(w.path("bytes").asLong()).isEqualTo(5));
    JsonNode write = writes.get(0);
    List<JsonNode> reads = events.stream()
        .filter(e -> e.path("mechanism").asText().equals("fifo") && e.path("op").asText().equals("read")
            && e.path("comm").asText().equals("cat"))
        .toList();
    assertThat(sumBytes(reads)).isEqualTo(5);
    long catPid = reads.get(0).path("pid").asLong();
    assertThat(write.path("peer_pid").asLong()).isEqualTo(catPid);
    assertThat(write.path("path").asText()).isEqualTo(fifo.toString());
    assertThat(reads).allSatisfy(r -> {
      assertThat(r.path("peer_pid").asLong()).isEqualTo(shPid);
      assertThat(r.path("channel").asText()).isEqualTo(write.path("channel").asText());
    });
    assertThat(write.path("channel").asText()).matches("fifo:\\[\\d+:\\d+:\\d+]");
    List<JsonNode> opens = where(events, "fifo", "open", 0);
    assertThat(opens).extracting(o -> o.path("pid").asLong()).containsExactlyInAnyOrder(shPid, catPid);
    assertThat(opens).allSatisfy(o -> assertThat(o.path("path").asText()).isEqualTo(fifo.toString()));
    assertThat(opens).extracting(o -> o.path("pid").asLong() + ":" + o.path("mode").asText() + ">"
            + o.path("peer_pid").asLong())
        .as("each open names the other end and says which end it took")
        .containsExactlyInAnyOrder(shPid + ":write>" + catPid, catPid + ":read>" + shPid);
  }

  @Test
  void signalsNameSenderAndTargetAndTheirOutcome() throws Exception {
    int nobody = 4_194_000; // above the default pid_max: no such process
    List<JsonNode> events;
    long shPid;
    long targetPid;
    try (TracerProcess tracer = TracerProcess.start(dir, "--mechanism", "signal,process")) {
      // The target is a shell with a USR1 trap (a fatal default action would skip signal_deliver).
      Process p = sh("sh -c 'trap \"exit 7\" USR1; while :; do sleep 0.05; done' & s=$!; echo $s; sleep 0.5; "
          + "kill -USR1 $s; wait $s; kill -TERM " + nobody + " 2>/dev/null; true");
      shPid = p.pid();
      targetPid = Long.parseLong(new String(p.getInputStream().readNBytes(8)).trim().split("\\s+")[0]);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      events = tracer.stop();
    }
    List<JsonNode> sends = where(events, "signal", "send", shPid);
    assertThat(sends).extracting(s -> s.path("signal").asText() + ">" + s.path("peer_pid").asLong() + ":"
            + s.path("signal_outcome").asText() + ":" + s.path("result").asLong())
        .containsExactly("SIGUSR1>" + targetPid + ":delivered:0", "SIGTERM>" + nobody + ":failed:-3");
    assertThat(sends.get(0).path("peer_comm").asText()).isEqualTo("sh");

    List<JsonNode> delivered = where(events, "signal", "deliver", targetPid).stream()
        .filter(d -> d.path("signal").asText().equals("SIGUSR1")).toList();
    assertThat(delivered).singleElement().satisfies(d -> {
      assertThat(d.path("peer_pid").asLong()).isEqualTo(shPid);
      assertThat(d.path("signal_outcome").asText()).isEqualTo("handler");
    });
    List<JsonNode> sigchld = where(events, "signal", "generate", targetPid);
    assertThat(sigchld).singleElement().satisfies(g -> {
      assertThat(g.path("signal").asText()).isEqualTo("SIGCHLD");
      assertThat(g.path("peer_pid").asLong()).isEqualTo(shPid);
    });
    assertThat(where(events, "process", "exit", targetPid)).singleElement()
        .satisfies(x -> assertThat(x.path("exit").asText()).isEqualTo("exit 7"));
    Set<Long> forked = where(events, "process", "fork", shPid).stream().map(f -> f.path("peer_pid").asLong())
        .collect(Collectors.toSet());
    assertThat(forked).contains(targetPid);
  }

  /** {@code trace -- COMMAND}: live before the command starts, only its tree shown, its exit code returned. */
  @Test
  void aCommandRunUnderTraceIsFollowedAndItsExitCodeReturned() throws Exception {
    Path output = dir.resolve("cmd.jsonl");
    List<String> cmd = new java.util.ArrayList<>(TracerProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
    cmd.addAll(List.of("trace", "--json", "-o", output.toString(), "--", "sh", "-c", "printf 12345 | cat >/dev/null; exit 3"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(said).isEqualTo(3);
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    List<JsonNode> events = new java.util.ArrayList<>();
    for (String line : java.nio.file.Files.readAllLines(output)) {
      events.add(mapper.readTree(line));
    }
    long shPid = events.stream().filter(e -> e.path("op").asText().equals("exec")).findFirst().orElseThrow()
        .path("pid").asLong();
    List<JsonNode> writes = where(events, "pipe", "write", 0);
    assertThat(writes).singleElement().satisfies(w -> {
      assertThat(w.path("bytes").asLong()).isEqualTo(5);
      assertThat(w.path("peer_comm").asText()).isEqualTo("cat");
    });
    assertThat(sumBytes(where(events, "pipe", "read", 0))).isEqualTo(5);
    assertThat(events).as("only the command's tree and its peers")
        .allSatisfy(e -> assertThat(e.path("comm").asText()).isIn("sh", "cat"));
    assertThat(where(events, "process", "exit", shPid)).singleElement().satisfies(x -> {
      assertThat(x.path("exit").asText()).isEqualTo("exit 3");
      assertThat(x.path("peer_pid").asLong()).as("the parent that is told: the tracer").isEqualTo(p.pid());
    });
  }

  @Test
  void aggregateModeCountsInTheKernelAndNamesWritersAndReaders() throws Exception {
    int n = 100_000;
    List<JsonNode> rows;
    try (TracerProcess tracer = TracerProcess.start(dir, "--aggregate", "--interval", "0.5")) {
      Process p = sh("head -c " + n + " /dev/zero | cat >/dev/null");
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(700); // one report after the workload
      rows = tracer.stop();
    }
    List<JsonNode> headToCat = rows.stream()
        .filter(r -> r.path("mechanism").asText().equals("pipe") && r.path("op").asText().equals("aggregate"))
        .filter(r -> r.path("writers").toString().contains("\"head\""))
        .toList();
    assertThat(headToCat).isNotEmpty();
    String channel = headToCat.get(0).path("channel").asText();
    assertThat(headToCat).allSatisfy(r -> assertThat(r.path("channel").asText()).isEqualTo(channel));
    assertThat(headToCat.stream().mapToLong(r -> r.path("write_bytes").asLong()).sum()).isEqualTo(n);
    assertThat(headToCat.stream().mapToLong(r -> r.path("read_bytes").asLong()).sum()).isEqualTo(n);
    assertThat(headToCat.get(0).path("readers").get(0).path("comm").asText()).isEqualTo("cat");
  }

  @Test
  void theCommFilterShowsOnlyThatCommand() throws Exception {
    List<JsonNode> events;
    try (TracerProcess tracer = TracerProcess.start(dir, "--comm", "cat", "--mechanism", "pipe")) {
      Process p = sh("head -c 5000 /dev/zero | cat >/dev/null");
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      events = tracer.stop();
    }
    assertThat(events).isNotEmpty().allSatisfy(e -> {
      assertThat(e.path("comm").asText()).isEqualTo("cat");
      assertThat(e.path("mechanism").asText()).isEqualTo("pipe");
    });
    assertThat(sumBytes(where(events, "pipe", "read", 0))).isEqualTo(5000);
  }

  /** When tracing ends first (--duration here), the command is told with SIGTERM, as timeout(1) would. */
  @Test
  void aCommandOutlivingTheTraceIsTerminated() throws Exception {
    List<String> cmd = new java.util.ArrayList<>(TracerProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
    cmd.addAll(List.of("trace", "--json", "-o", dir.resolve("t.jsonl").toString(), "--duration", "1", "--",
        "sleep", "60"));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(said).isEqualTo(143);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(20);
  }

  /** Once the tracer has ended, none of the programs it loaded is left in the kernel. */
  @Test
  void nothingStaysAttachedAfterSigterm() throws Exception {
    java.util.Set<Long> ids;
    try (TracerProcess tracer = TracerProcess.start(dir)) {
      ids = programIdsHeldBy(tracer.pid());
      assertThat(loadedPrograms()).as("the tracer's programs while it runs")
          .containsKeys(ids.toArray(Long[]::new))
          .extractingByKeys(ids.toArray(Long[]::new)).contains("sched_process_fork", "signal_generate", "sys_exit");
      tracer.stop();
    }
    // The kernel frees a detached program after an RCU grace period: give it a few seconds.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!java.util.Collections.disjoint(loadedPrograms().keySet(), ids) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(loadedPrograms()).doesNotContainKeys(ids.toArray(Long[]::new));
  }

  /** The ids of the BPF programs behind a process's fds (program and link fds say prog_id in fdinfo). */
  private static java.util.Set<Long> programIdsHeldBy(long pid) throws Exception {
    java.util.Set<Long> ids = new java.util.TreeSet<>();
    try (var fds = java.nio.file.Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
      for (Path fd : fds.toList()) {
        List<String> lines;
        try {
          lines = java.nio.file.Files.readAllLines(fd);
        } catch (java.nio.file.NoSuchFileException closedMeanwhile) {
          continue; // the tracer reads /proc while it runs: its other fds come and go
        }
        for (String line : lines) {
          if (line.startsWith("prog_id:")) {
            ids.add(Long.parseLong(line.substring(8).trim()));
          }
        }
      }
    }
    return ids;
  }

  /** Every BPF program in the kernel: id to name. */
  private static java.util.Map<Long, String> loadedPrograms() throws Exception {
    Process p = new ProcessBuilder("bpftool", "-j", "prog", "show").redirectErrorStream(true).start();
    JsonNode progs = new com.fasterxml.jackson.databind.ObjectMapper().readTree(p.getInputStream());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    java.util.Map<Long, String> byId = new java.util.HashMap<>();
    progs.forEach(prog -> byId.put(prog.path("id").asLong(), prog.path("name").asText()));
    return byId;
  }
}
