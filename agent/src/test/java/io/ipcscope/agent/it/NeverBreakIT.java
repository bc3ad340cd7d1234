package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.agent.target.EveryIpc;
import io.ipcscope.agent.target.PipeChild;
import io.ipcscope.agent.target.QueueChild;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The application never notices the agent: the same output and exit code without it, with it, and with it failing
 * in every callback and in its export thread (the test-only switch -Dipcscope.agent.test.failEverything=true); off
 * means off; a bad option or an unreachable backend is a line on stderr, nothing more.
 */
class NeverBreakIT {

  private static final String FAIL_EVERYTHING = "-Dipcscope.agent.test.failEverything=true";

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(180)
  void sameOutputWithoutTheAgentWithItAndWithItFailingEverywhere(TargetJvm.Jdk jdk) throws Exception {
    TargetProcess.Finished without = TargetProcess.of(jdk, EveryIpc.class).run();
    TargetProcess.Finished with;
    TargetProcess.Finished failing;
    List<JsonNode> ops;
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      with = TargetProcess.of(jdk, EveryIpc.class).agent("socket=" + collector.path()).run();
      ops = Await.lines(collector, "op", o -> Ops.of(o, "signal", "kill").size() == 3, Duration.ofSeconds(10));
      assertThat(with.agentLines()).containsExactly("ipcscope agent: sending to the collector at " + collector.path());
    }
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      failing = TargetProcess.of(jdk, EveryIpc.class).agent("socket=" + collector.path()).jvm(FAIL_EVERYTHING).run();
      Thread.sleep(200);
      assertThat(collector.lines("hello")).as("the export thread failed before connecting").isEmpty();
    }

    assertThat(without.exit()).as(without.stderr()).isZero();
    assertThat(with.exit()).as(with.stderr()).isZero();
    assertThat(failing.exit()).as(failing.stderr()).isZero();
    assertThat(without.stdout()).last().isEqualTo("done");
    assertThat(with.stdoutBytes()).isEqualTo(without.stdoutBytes());
    // the application's stderr too, but for the agent's own line: no JVM warning either (a jar appended to the boot
    // class path would have the JVM say "Sharing is only supported for boot loader classes")
    assertThat(with.stderr().lines().filter(l -> !l.startsWith("ipcscope agent: ")))
        .containsExactlyElementsOf(without.stderr().lines().toList());
    assertThat(failing.stdoutBytes()).isEqualTo(without.stdoutBytes());

    // the agent did see every kind of IPC in the run that worked...
    assertThat(Ops.of(ops, "process", "spawn")).extracting(o -> o.path("attributes").path("ipc.child.command").asText())
        .containsExactly("cat", "sh -c echo to-out; echo to-err >&2; exit 3", "tr a-z A-Z", "printf b\\na\\nc\\n",
            "sort -r", "cat", "mkfifo " + ops.stream().filter(o -> o.path("operation").asText().equals("spawn"))
                .map(o -> o.path("attributes").path("ipc.child.command").asText())
                .filter(c -> c.startsWith("mkfifo ")).findFirst().orElseThrow().substring(7),
            "sleep 60", "sleep 60", "sleep 60");
    assertThat(Ops.of(ops, "signal", "kill")).extracting(o -> o.path("attributes").path("ipc.signal").asText())
        .containsExactly("SIGTERM", "SIGKILL", "SIGTERM");
    assertThat(Ops.of(ops, "pipe", "write")).extracting(o -> o.path("bytes").asLong())
        .containsExactly(4L, 4L, 6L, 1L, 1L, 1L);
    assertThat(Ops.of(ops, "fifo", "open")).hasSize(2);
    assertThat(Ops.of(ops, "fifo", "write")).extracting(o -> o.path("bytes").asLong()).containsExactly(17L);
    assertThat(Ops.of(ops, "fifo", "read").stream().mapToLong(Ops::bytesRead).sum()).isEqualTo(17);
    assertThat(ops).noneSatisfy(o -> assertThat(o.path("channel").asText()).endsWith("plain.txt"));
    // ...and in the failing run every callback ran and threw, and nothing of it reached the application
    long thrown = Long.parseLong(failing.agentLines().get(failing.agentLines().size() - 1)
        .replaceAll(".*: (\\d+) sink callbacks threw$", "$1"));
    assertThat(thrown).isGreaterThanOrEqualTo(ops.size());
    assertThat(failing.agentLines()).containsExactly(
        "ipcscope agent: export stopped, the application goes on without it: "
            + "io.ipcscope.agent.capture.FailEverything$Failure: ipcscope.agent.test.failEverything: the export thread"
            + " fails on purpose",
        "ipcscope agent: ipcscope.agent.test.failEverything: " + thrown + " sink callbacks threw");
    assertThat(failing.stderr()).doesNotContain("Exception in thread").doesNotContain("\tat ");
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void enabledFalseInstrumentsNothing(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetProcess.Finished on = TargetProcess.of(jdk, PipeChild.class, "3")
          .agent("debug=true,export=none").run();
      TargetProcess.Finished off = TargetProcess.of(jdk, PipeChild.class, "3")
          .agent("enabled=false,debug=true,socket=" + collector.path()).run();

      // "(from the cache)" or not, depending on whether an earlier test's JVM wove them already
      assertThat(on.agentLines())
          .anySatisfy(l -> assertThat(l).startsWith("ipcscope agent: instrumented java.lang.ProcessBuilder"))
          .anySatisfy(l -> assertThat(l).startsWith("ipcscope agent: instrumented java.io.FileOutputStream"));
      assertThat(off.exit()).as(off.stderr()).isZero();
      assertThat(off.value("exit")).isEqualTo("0");
      assertThat(off.agentLines()).containsExactly("ipcscope agent: off (enabled=false)");
      Thread.sleep(200);
      assertThat(collector.lines("hello")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void aGarbageOptionIsOneLineAndTheApplicationRunsWithTheAgent(TargetJvm.Jdk jdk) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetProcess.Finished run = TargetProcess.of(jdk, PipeChild.class, "5")
          .agent("queue=banana,frobnicate,socket=" + collector.path()).run();

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.agentLines()).containsExactly(
          "ipcscope agent: unknown option 'frobnicate' ignored (options: enabled, mechanisms, granularity, export,"
              + " socket, queue, stream.idle.ms, detail, cache, debug)",
          "ipcscope agent: option queue=banana (from the agent argument) not understood: expected a positive whole"
              + " number; using 16384",
          "ipcscope agent: sending to the collector at " + collector.path());
      assertThat(Ops.of(Await.lines(collector, "op", o -> Ops.of(o, "pipe", "write").size() == 5,
          Duration.ofSeconds(10)), "pipe", "write")).hasSize(5);
    }
  }

  static Stream<Arguments> jdksAndBackends() {
    return Stream.of(TargetJvm.Jdk.values()).flatMap(jdk -> Stream.of(Arguments.of(jdk, "none"),
        Arguments.of(jdk, "http-400")));
  }

  /**
   * No OTLP backend listening, or one refusing every export: one line from the agent, and not the SDK's own WARNING
   * or SEVERE lines (java.util.logging, on the application's stderr) it would print again and again.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("jdksAndBackends")
  @Timeout(120)
  void aFailingOtlpBackendIsOneLineNotALogStorm(TargetJvm.Jdk jdk, String backend) throws Exception {
    try (OtlpReceiver refusing = new OtlpReceiver()) {
      refusing.answer(400);
      String endpoint;
      if (backend.equals("none")) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          endpoint = "http://127.0.0.1:" + s.getLocalPort() + "/v1/traces";
        }
      } else {
        endpoint = refusing.endpoint() + "/v1/traces";
      }
      TargetProcess.Finished run;
      try (TargetProcess.Running app = TargetProcess.of(jdk, QueueChild.class, "20").agent("export=otlp")
          .env(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint, "OTEL_BSP_SCHEDULE_DELAY", "100")).start()) {
        app.awaitStderr("ipcscope agent: OTLP export to ");
        Thread.sleep(2_000); // what the SDK would log, it would have logged by now
        run = app.closeStdinAndWait();
      }

      assertThat(run.exit()).as(run.stderr()).isZero();
      assertThat(run.value("exit")).isEqualTo("0");
      assertThat(run.agentLines()).containsExactly("ipcscope agent: exporting OTLP to " + endpoint,
          "ipcscope agent: OTLP export to " + endpoint + " failed: "
              + (backend.equals("none") ? "java.net.ConnectException" : "HTTP 400")
              + "; spans are dropped until it answers");
      assertThat(run.stderr()).doesNotContain("WARNING").doesNotContain("SEVERE").doesNotContain("shaded")
          .doesNotContain("\tat ");
    }
  }
}
