package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ipcscope.cli.backend.ZipkinServer;
import io.ipcscope.collector.live.LiveClient;
import io.ipcscope.probes.KernelTestSupport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java agent and the collector together, all real: {@code ipcscope collect} exporting to a Zipkin server, and a
 * JVM running {@link JavaParentTarget} with {@code -javaagent:ipcscope-agent.jar} pointed at the collector's agent
 * socket. The JVM pipes data to {@code sort} and ends a shell with {@code Process.destroy()}; the backend must hold
 * one trace from the Java call through the kernel's write to sort's read, and one from the Java destroy through
 * the kernel's signal to the shell's handler.
 */
@ExtendWith(KernelTestSupport.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class AgentJoinKernelTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * The agent marks its progress every 50 ms; the default hold (250 ms) is one a CI run sharing two CPUs overran
   * once. A hold timeout here means marks stopped coming, not that the machine was busy.
   */
  private static final String HOLD_MILLIS = "3000";

  @TempDir Path dir;

  @Test
  void aJavaParentAndItsNonJavaChildrenAreOneTraceEach() throws Exception {
    Path agentSocket = dir.resolve("ipcscope/agent.sock");
    Path liveSocket = dir.resolve("collector.sock");
    try (ZipkinServer zipkin = ZipkinServer.start();
        CollectorProcess collect = CollectorProcess.start(dir, Map.of(), "--exporter", "zipkin", "--endpoint",
            zipkin.spansEndpoint(), "--agent-socket", agentSocket.toString(), "--agent-hold", HOLD_MILLIS)) {
      assertThat(collect.stderr()).contains("JVM agents at " + agentSocket);
      Process target = startTarget(agentSocket);
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(),
            StandardCharsets.UTF_8));
        List<String> said = new ArrayList<>();
        said.add(out.readLine());
        said.add(out.readLine());
        String pid = JavaParentTarget.value(said, "pid");
        String tid = JavaParentTarget.value(said, "tid");
        // the collector's loop has the agent's hello: from now on the JVM's kernel events wait for its reports
        JsonNode agents = awaitAgents(liveSocket, a -> a.path("connected").asInt() == 1);
        assertThat(agents.path("rejected").asLong()).isZero();

        goAndAwaitDone(target, out, said, collect);
        assertThat(Files.readString(dir.resolve("sorted.txt"))).isEqualTo("1\n2\n3\n");
        assertThat(JavaParentTarget.value(said, "sort-exit")).isEqualTo("0");
        assertThat(JavaParentTarget.value(said, "sh-says")).isEqualTo("ready");
        assertThat(JavaParentTarget.value(said, "sh-exit")).isEqualTo("0");
        String sortPid = JavaParentTarget.value(said, "sort");
        String pipe = JavaParentTarget.value(said, "sort-stdin");
        String shPid = JavaParentTarget.value(said, "sh");

        String shStdout = JavaParentTarget.value(said, "sh-stdout");
        String agentVersion = agentVersion();

        // 1. Java writes to sort's stdin: the Java call, the kernel's write as its child, sort's read as the
        // write's child (and sort's exit, which its read chains to), one trace
        JsonNode jvmWrite = awaitJvmSpan(zipkin, "write " + pipe);
        List<JsonNode> write = spans(zipkin.awaitTrace(jvmWrite.path("traceId").asText(), t -> t.size() >= 4,
            Duration.ofSeconds(30)));
        assertThat(write).as("the write's trace: %s", write).hasSize(4);
        assertThat(jvmWrite.has("parentId")).as("no application span: a root").isFalse();
        assertThat(jvmWrite.path("kind").asText()).isEqualTo("PRODUCER");
        assertThat(jvmWrite.path("localEndpoint").path("serviceName").asText()).isEqualTo("java");
        assertThat(tags(jvmWrite)).isEqualTo(Map.ofEntries(
            Map.entry("messaging.system", "pipe"), Map.entry("messaging.operation.name", "write"),
            Map.entry("messaging.operation.type", "send"), Map.entry("messaging.destination.name", pipe),
            Map.entry("messaging.message.body.size", "6"), Map.entry("thread.id", tid),
            Map.entry("ipc.mechanism", "pipe"), Map.entry("ipc.channel", pipe), Map.entry("ipc.peer.pid", sortPid),
            Map.entry("ipc.child.command", "sort"), Map.entry("ipc.stream", "stdin"),
            Map.entry("otel.scope.name", "io.ipcscope.agent"), Map.entry("otel.scope.version", agentVersion),
            Map.entry("otel.library.name", "io.ipcscope.agent"), Map.entry("otel.library.version", agentVersion)));
        JsonNode kernelWrite = child(write, jvmWrite);
        assertThat(kernelWrite.path("name").asText()).isEqualTo("write " + pipe);
        assertThat(kernelWrite.path("kind").asText()).isEqualTo("PRODUCER");
        assertThat(kernelWrite.path("localEndpoint").path("serviceName").asText()).isEqualTo("java");
        assertThat(tags(kernelWrite)).containsEntry("otel.scope.name", "io.ipcscope.collector")
            .containsEntry("thread.id", tid).containsEntry("messaging.message.body.size", "6")
            .containsEntry("ipc.channel", pipe).containsEntry("ipc.peer.pid", sortPid)
            .containsEntry("ipc.peer.comm", "sort");
        assertThat(micros(kernelWrite)).as("the syscall lies within the Java call")
            .isBetween(micros(jvmWrite), micros(jvmWrite) + jvmWrite.path("duration").asLong());
        JsonNode sortRead = child(write, kernelWrite);
        assertThat(sortRead.path("name").asText()).isEqualTo("read " + pipe);
        assertThat(sortRead.path("kind").asText()).isEqualTo("CONSUMER");
        assertThat(sortRead.path("localEndpoint").path("serviceName").asText()).isEqualTo("sort");
        assertThat(tags(sortRead)).containsEntry("thread.id", sortPid).containsEntry("ipc.peer.pid", pid)
            .containsEntry("messaging.message.body.size", "6").containsEntry("ipc.pairing", "exact");
        JsonNode sortExit = child(write, sortRead);
        assertThat(sortExit.path("name").asText()).isEqualTo("generate sigchld");
        assertThat(tags(sortExit)).containsEntry("ipc.peer.pid", pid);

        // 2. Java ends sh with Process.destroy(): the Java call, the kernel's SIGTERM as its child, sh's handler
        // taking it as the signal's child, sh's exit
        JsonNode jvmKill = awaitJvmSpan(zipkin, "kill SIGTERM", "ipc.peer.pid=" + shPid);
        List<JsonNode> kill;
        try {
          kill = spans(zipkin.awaitTrace(jvmKill.path("traceId").asText(), t -> t.size() >= 4,
              Duration.ofSeconds(30)));
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + "\nsh's spans: " + zipkin.traces("sh", null, null, 20)
              + "\ncollector:\n" + collect.stderr(), e);
        }
        assertThat(kill).as("the kill's trace: %s", kill).hasSize(4);
        assertThat(jvmKill.has("parentId")).isFalse();
        assertThat(tags(jvmKill)).containsEntry("ipc.signal", "SIGTERM").containsEntry("ipc.api", "Process.destroy")
            .containsEntry("ipc.result", "sent").containsEntry("ipc.peer.pid", shPid).containsEntry("thread.id", tid)
            .doesNotContainKey("messaging.message.body.size");
        JsonNode send = child(kill, jvmKill);
        assertThat(send.path("name").asText()).isEqualTo("send sigterm");
        assertThat(tags(send)).containsEntry("thread.id", tid).containsEntry("ipc.peer.pid", shPid);
        JsonNode deliver = child(kill, send);
        assertThat(deliver.path("name").asText()).isEqualTo("deliver sigterm");
        assertThat(deliver.path("localEndpoint").path("serviceName").asText()).isEqualTo("sh");
        assertThat(tags(deliver)).containsEntry("ipc.peer.pid", pid).containsEntry("ipc.pairing", "exact");
        assertThat(child(kill, deliver).path("name").asText()).isEqualTo("generate sigchld");

        // 3. Java reads sh's "ready": without an application span, the Java read is the child of the kernel's
        // read, in the trace of sh's write
        JsonNode jvmRead = awaitJvmSpan(zipkin, "read " + shStdout);
        List<JsonNode> read = spans(zipkin.awaitTrace(jvmRead.path("traceId").asText(),
            t -> t.size() >= 3, Duration.ofSeconds(30)));
        assertThat(jvmRead.path("kind").asText()).isEqualTo("CONSUMER");
        assertThat(tags(jvmRead)).containsEntry("ipc.stream", "stdout").containsEntry("messaging.message.body.size",
            "6").containsEntry("thread.id", tid);
        JsonNode kernelRead = parent(read, jvmRead);
        assertThat(kernelRead.path("name").asText()).isEqualTo("read " + shStdout);
        assertThat(tags(kernelRead)).containsEntry("otel.scope.name", "io.ipcscope.collector")
            .containsEntry("thread.id", tid).containsEntry("ipc.peer.pid", shPid);
        JsonNode shWrite = parent(read, kernelRead);
        assertThat(shWrite.path("name").asText()).isEqualTo("write " + shStdout);
        assertThat(shWrite.path("localEndpoint").path("serviceName").asText()).isEqualTo("sh");

        // the agent's own reports to the collector are not traced (they would name the agent socket), while our
        // own snapshot requests on the live socket are
        String collector = Long.toString(collect.pid());
        List<Map<String, String>> toCollector = spans(zipkin.traces("java", null, "ipc.peer.pid=" + collector, 1_000))
            .stream().flatMap(t -> spans(t).stream()).map(AgentJoinKernelTest::tags)
            .filter(t -> t.getOrDefault("ipc.peer.pid", "").equals(collector)).toList();
        assertThat(toCollector).extracting(t -> t.get("messaging.destination.name")).contains(liveSocket.toString());
        assertThat(toCollector).filteredOn(t -> agentSocket.toString().equals(t.get("messaging.destination.name")))
            .isEmpty();

        // 4. a claim for another process than the connection's own is refused
        String refused = send(agentSocket, "{\"type\":\"hello\",\"protocol\":1,\"pid\":" + collector + "}\n");
        assertThat(refused).startsWith("{\"type\":\"error\",\"message\":\"hello for pid " + collector
            + " on a connection of pid " + ProcessHandle.current().pid() + ": an agent speaks only for its own process");
        agents = awaitAgents(liveSocket, a -> a.path("rejected").asLong() == 1 && a.path("joined").asLong() == 3);
        assertThat(agents.path("connected").asInt()).isEqualTo(1);
        assertThat(agents.path("welcomed").asLong()).isEqualTo(1);
        assertThat(agents.path("ops").asLong()).as("spawn, write, spawn, read, kill").isEqualTo(5);
        assertThat(agents.path("unjoined").asLong()).isZero();
        assertThat(agents.path("bad_lines").asLong()).isZero();
        assertThat(agents.path("ops_dropped").asLong()).isZero();
        assertThat(agents.path("hold_timeouts").asLong()).as("collector:\n%s", collect.stderr()).isZero();
        assertThat(collect.stderr()).contains("hello for pid " + collector).doesNotContain("\tat ");

        target.getOutputStream().close();
        assertThat(target.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(target.exitValue()).isZero();
        collect.stop();
        assertThat(collect.stderr()).containsPattern("ipcscope: 1 JVM agents \\(1 refused\\), 5 operations, "
            + "\\d+ bytes, 0 summaries: 3 joined with kernel spans, 0 unjoined, 0 dropped; ");
      } finally {
        target.destroyForcibly();
      }
    }
  }

  /**
   * A JVM as it runs in a pod: pid 1 of a pid namespace of its own ({@code unshare --pid --fork --mount-proc}), so
   * its agent knows its pid, its thread and its children by their numbers there. The collector must welcome it,
   * and its spans must join the kernel's and carry the pids and thread ids the kernel's carry.
   */
  @Test
  void aJvmInAPidNamespaceOfItsOwnIsJoinedWithTheKernelsViewOfIt() throws Exception {
    Path agentSocket = dir.resolve("ipcscope/agent.sock");
    Path liveSocket = dir.resolve("collector.sock");
    try (ZipkinServer zipkin = ZipkinServer.start();
        CollectorProcess collect = CollectorProcess.start(dir, Map.of(), "--exporter", "zipkin", "--endpoint",
            zipkin.spansEndpoint(), "--agent-socket", agentSocket.toString(), "--agent-hold", HOLD_MILLIS)) {
      Process target = startTarget(agentSocket, "unshare", "--pid", "--fork", "--mount-proc");
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(),
            StandardCharsets.UTF_8));
        List<String> said = new ArrayList<>();
        said.add(out.readLine());
        said.add(out.readLine());
        assertThat(JavaParentTarget.value(said, "pid")).as("the JVM is pid 1 of its namespace").isEqualTo("1");
        int jvm = (int) target.children().findFirst().orElseThrow().pid();
        int ownTid = Integer.parseInt(JavaParentTarget.value(said, "tid"));
        String tid = Integer.toString(hostThread(jvm, ownTid));
        assertThat(tid).as("we and the namespace number its thread apart").isNotEqualTo(Integer.toString(ownTid));
        JsonNode agents = awaitAgents(liveSocket, a -> a.path("connected").asInt() == 1);
        assertThat(agents.path("rejected").asLong()).as("collector:\n%s", collect.stderr()).isZero();

        goAndAwaitDone(target, out, said, collect);
        String ownSortPid = JavaParentTarget.value(said, "sort");
        String pipe = JavaParentTarget.value(said, "sort-stdin");

        // the Java write, the kernel's write as its child, sort's read as the kernel write's child: one trace,
        // with our numbers for the JVM's thread and for sort
        JsonNode jvmWrite = awaitJvmSpan(zipkin, "write " + pipe);
        List<JsonNode> write = spans(zipkin.awaitTrace(jvmWrite.path("traceId").asText(), t -> t.size() >= 4,
            Duration.ofSeconds(30)));
        assertThat(write).as("the write's trace: %s", write).hasSize(4);
        JsonNode kernelWrite = child(write, jvmWrite);
        JsonNode sortRead = child(write, kernelWrite);
        String sortPid = tags(sortRead).get("thread.id");
        assertThat(sortPid).as("sort as we number it").isNotEqualTo(ownSortPid);
        assertThat(sortRead.path("localEndpoint").path("serviceName").asText()).isEqualTo("sort");
        assertThat(tags(sortRead)).containsEntry("ipc.peer.pid", Integer.toString(jvm));
        assertThat(tags(kernelWrite)).containsEntry("thread.id", tid).containsEntry("ipc.peer.pid", sortPid);
        assertThat(tags(jvmWrite)).containsEntry("thread.id", tid).containsEntry("ipc.peer.pid", sortPid)
            .containsEntry("messaging.message.body.size", "6").containsEntry("ipc.stream", "stdin");

        // Process.destroy() of sh: the Java kill, the kernel's SIGTERM, sh's handler taking it
        JsonNode jvmKill = awaitJvmSpan(zipkin, "kill SIGTERM");
        List<JsonNode> kill = spans(zipkin.awaitTrace(jvmKill.path("traceId").asText(), t -> t.size() >= 4,
            Duration.ofSeconds(30)));
        JsonNode send = child(kill, jvmKill);
        assertThat(send.path("name").asText()).isEqualTo("send sigterm");
        JsonNode deliver = child(kill, send);
        assertThat(deliver.path("localEndpoint").path("serviceName").asText()).isEqualTo("sh");
        String shPid = tags(deliver).get("thread.id");
        assertThat(shPid).as("sh as we number it").isNotEqualTo(JavaParentTarget.value(said, "sh"));
        assertThat(tags(send)).containsEntry("thread.id", tid).containsEntry("ipc.peer.pid", shPid);
        assertThat(tags(jvmKill)).containsEntry("thread.id", tid).containsEntry("ipc.peer.pid", shPid)
            .containsEntry("ipc.api", "Process.destroy");

        agents = awaitAgents(liveSocket, a -> a.path("joined").asLong() == 3);
        assertThat(agents.path("welcomed").asLong()).isEqualTo(1);
        assertThat(agents.path("rejected").asLong()).isZero();
        assertThat(agents.path("ops").asLong()).as("spawn, write, spawn, read, kill").isEqualTo(5);
        assertThat(agents.path("unjoined").asLong()).isZero();
        assertThat(agents.path("hold_timeouts").asLong()).as("collector:\n%s", collect.stderr()).isZero();

        target.getOutputStream().close();
        assertThat(target.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(target.exitValue()).isZero();
      } finally {
        target.descendants().forEach(ProcessHandle::destroyForcibly);
        target.destroyForcibly();
      }
    }
  }

  /** Tells the target "go" and takes what it says until its "done". */
  private static void goAndAwaitDone(Process target, BufferedReader out, List<String> said, CollectorProcess collect)
      throws IOException {
    OutputStream in = target.getOutputStream();
    in.write("go\n".getBytes(StandardCharsets.US_ASCII));
    in.flush();
    String line;
    while ((line = out.readLine()) != null && !line.equals("done")) {
      said.add(line);
    }
    assertThat(line).as("the target's output %s; stderr of the collector:\n%s", said, collect.stderr())
        .isEqualTo("done");
  }

  /** Our id of thread {@code ownTid} of process {@code pid}, as /proc's NSpid lines pair them. */
  private static int hostThread(int pid, int ownTid) throws IOException {
    try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        for (String line : Files.readAllLines(task.resolve("status"))) {
          String[] ids = line.startsWith("NSpid:") ? line.substring(6).trim().split("\\s+") : new String[0];
          if (ids.length == 2 && Integer.parseInt(ids[1]) == ownTid) {
            return Integer.parseInt(ids[0]);
          }
        }
      }
    }
    throw new AssertionError("no thread " + ownTid + " (in its own namespace) in process " + pid);
  }

  /** The one span of {@code trace} whose parent is {@code parent}. */
  private static JsonNode child(List<JsonNode> trace, JsonNode parent) {
    List<JsonNode> children = trace.stream()
        .filter(s -> s.path("parentId").asText().equals(parent.path("id").asText())).toList();
    assertThat(children).as("children of %s in %s", parent.path("name").asText(), trace).hasSize(1);
    return children.get(0);
  }

  private static JsonNode parent(List<JsonNode> trace, JsonNode child) {
    return trace.stream().filter(s -> s.path("id").asText().equals(child.path("parentId").asText())).findFirst()
        .orElseThrow(() -> new AssertionError("no parent of " + child + " in " + trace));
  }

  private static Map<String, String> tags(JsonNode span) {
    Map<String, String> tags = new java.util.TreeMap<>();
    span.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    return tags;
  }

  private static long micros(JsonNode span) {
    return span.path("timestamp").asLong();
  }

  private static Path agentJar() {
    return Path.of(System.getProperty("ipcscope.agent.jar", "../agent/target/ipcscope-agent.jar"));
  }

  /** The agent's version, as its jar's manifest says and its spans' scope carries it. */
  private static String agentVersion() throws IOException {
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(agentJar().toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }

  /** The JVM with the agent, run by {@code prefix} when there is one (a command that runs the rest). */
  private Process startTarget(Path agentSocket, String... prefix) throws IOException {
    Path jar = agentJar();
    assertThat(jar).as("the agent's jar: build the agent module first (mvn package -pl agent)").exists();
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(prefix));
    command.addAll(List.of(java, "-javaagent:" + jar + "=socket=" + agentSocket + ",export=collector",
        "-cp", System.getProperty("ipcscope.test.classes", "target/test-classes"), JavaParentTarget.class.getName(),
        dir.resolve("sorted.txt").toString()));
    return new ProcessBuilder(command).redirectError(dir.resolve("target-stderr.txt").toFile()).start();
  }

  /** The collector's agent counts, once {@code done} accepts them (it publishes once a second). */
  private static JsonNode awaitAgents(Path liveSocket, java.util.function.Predicate<JsonNode> done)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonNode agents = null;
    while (System.nanoTime() < deadline) {
      agents = JSON.readTree(LiveClient.snapshot(liveSocket, Duration.ofSeconds(5))).path("health").path("agents");
      if (done.test(agents)) {
        return agents;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the collector's agents never got there: " + agents);
  }

  private static JsonNode awaitJvmSpan(ZipkinServer zipkin, String name) {
    return awaitJvmSpan(zipkin, name, null);
  }

  /** The span of the JVM operation named {@code name}, once Zipkin has it. */
  private static JsonNode awaitJvmSpan(ZipkinServer zipkin, String name, String tags) {
    String query = "otel.scope.name=io.ipcscope.agent" + (tags == null ? "" : " and " + tags);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode traces = null;
    while (System.nanoTime() < deadline) {
      traces = zipkin.traces("java", name.toLowerCase(java.util.Locale.ROOT), query, 10);
      JsonNode span = jvmSpan(traces, name);
      if (span != null) {
        return span;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
    throw new AssertionError("no JVM span '" + name + "' in zipkin within 30 s: " + traces);
  }

  /** The span of a JVM operation named {@code name} (the agent's scope) among Zipkin's traces; null when none. */
  private static JsonNode jvmSpan(JsonNode traces, String name) {
    for (JsonNode trace : traces) {
      for (JsonNode s : trace) {
        if (s.path("name").asText().equalsIgnoreCase(name)
            && s.path("tags").path("otel.scope.name").asText().equals("io.ipcscope.agent")) {
          return s;
        }
      }
    }
    return null;
  }

  /** Connects to the agent socket as a client of our own, sends {@code text}, returns all it answers. */
  private static String send(Path socket, String text) throws IOException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(StandardCharsets.UTF_8.encode(text));
      ByteBuffer answer = ByteBuffer.allocate(4096);
      while (channel.read(answer) > 0) {
        // until the collector closes
      }
      return new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8);
    }
  }

  private static List<JsonNode> spans(JsonNode trace) {
    return StreamSupport.stream(trace.spliterator(), false).toList();
  }
}
