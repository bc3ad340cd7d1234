package io.ipcscope.cli.attach;

import io.ipcscope.cli.AgentJar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.cli.CliRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ipcscope attach} against real processes: JVMs started without the agent (on JDK 17 and 25, as this user and
 * as another one), and the processes it must refuse in one line. The agent jar is the one the agent module built,
 * found the way a source checkout finds it.
 */
class AttachCommandTest {

  private static final Path JDK25 = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64");

  @TempDir Path dir;

  private static Path builtAgentJar() {
    return Paths.get(System.getProperty("ipcscope.agent.jar", "../agent/target/ipcscope-agent.jar"))
        .toAbsolutePath().normalize();
  }

  private static Path java(String jdk) {
    return (jdk.equals("25") ? JDK25 : Paths.get(System.getProperty("java.home"))).resolve("bin/java");
  }

  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(strings = {"17", "25"})
  @Timeout(120)
  void aRunningJvmReportsItsIpcOnceAttached(String jdk) throws Exception {
    try (CollectorStub collector = new CollectorStub(dir); Target target = Target.start(java(jdk), false, 5)) {
      String before = target.go();

      CliRun run = CliRun.of("attach", Long.toString(target.pid()), "--options", "socket=" + collector.path());

      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("ipcscope: agent " + builtAgentJar() + " loaded into " + target.pid()
          + " (java)\n");
      assertThat(collector.await("hello", h -> h.size() == 1, Duration.ofSeconds(20)).get(0).path("pid").asLong())
          .isEqualTo(target.pid());
      String after = target.go();
      List<JsonNode> ops = collector.await("op",
          o -> o.stream().filter(x -> x.path("operation").asText().equals("write")).count() == 5,
          Duration.ofSeconds(20));
      assertThat(ops).noneSatisfy(o -> assertThat(o.path("channel").asText()).isEqualTo(before));
      assertThat(ops.stream().filter(o -> o.path("operation").asText().equals("write")))
          .allSatisfy(w -> assertThat(w.path("channel").asText()).isEqualTo(after))
          .allSatisfy(w -> assertThat(w.path("bytes").asLong()).isEqualTo(6));
      assertThat(ops.stream().filter(o -> o.path("operation").asText().equals("spawn"))).hasSize(1);
    }
  }

  /** Root may attach to any user's JVM; any other user is told whose JVM it is and how to attach. */
  @Test
  @Timeout(120)
  void anotherUsersJvm() throws Exception {
    try (CollectorStub collector = new CollectorStub(dir); Target target = Target.start(java("17"), true, 3)) {
      TargetJvm seen = TargetJvm.of(target.pid());
      assertThat(seen.uid()).isEqualTo(65534);
      assertThat(seen.user()).isEqualTo("nobody");
      assertThat(seen.jvm()).isTrue();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> seen.checkAttachableBy(1000, "alice"))
          .hasMessage("process " + target.pid() + " (java) runs as nobody, and you are alice: a JVM lets only its own"
              + " user (or root) attach; run it as nobody (sudo -u nobody ipcscope attach " + target.pid()
              + ") or as root");

      if (TargetJvm.currentUid() == 0) {
        CliRun run = CliRun.of("attach", Long.toString(target.pid()), "--options", "socket=" + collector.path());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String stdin = target.go();
        assertThat(collector.await("op", o -> o.stream().filter(x -> x.path("channel").asText().equals(stdin)
            && x.path("operation").asText().equals("write")).count() == 3, Duration.ofSeconds(20))).isNotEmpty();
      }
    }
  }

  @Test
  @Timeout(60)
  void noSuchProcess() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();

    CliRun run = CliRun.of("attach", Long.toString(gone.pid()));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("ipcscope: no process " + gone.pid() + "\n");
  }

  @Test
  @Timeout(60)
  void notAJvm() throws Exception {
    Process sleep = new ProcessBuilder("sleep", "60").start();
    try {
      CliRun run = CliRun.of("attach", Long.toString(sleep.pid()));

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).isEqualTo("ipcscope: process " + sleep.pid() + " (sleep) is not a Java VM (no libjvm.so"
          + " mapped)\n");
    } finally {
      sleep.destroyForcibly().waitFor();
    }
  }

  @Test
  @Timeout(60)
  void ipcscopeItself() {
    CliRun run = CliRun.of("attach", Long.toString(ProcessHandle.current().pid()));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("ipcscope: process " + ProcessHandle.current().pid() + " is ipcscope itself\n");
  }

  @Test
  @Timeout(60)
  void anAgentJarThatIsNotThere() throws Exception {
    try (Target target = Target.start(java("17"), false, 1)) {
      CliRun run = CliRun.of("attach", Long.toString(target.pid()), "--agent-jar", "/nonexistent/agent.jar");

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.err()).isEqualTo("ipcscope: no agent jar at /nonexistent/agent.jar (--agent-jar)\n");
    }
  }

  @Test
  void theAgentJarIsLookedForNextToIpcscopeThenInTheSourceCheckout() throws IOException {
    Path repo = dir.resolve("repo");
    Path cliJar = repo.resolve("cli/target/ipcscope.jar");
    Path classes = repo.resolve("cli/target/classes");
    Files.createDirectories(classes);
    Path installed = dir.resolve("opt/ipcscope.jar");

    assertThat(AgentJar.candidates(cliJar)).containsExactly(repo.resolve("cli/target/ipcscope-agent.jar"),
        repo.resolve("agent/target/ipcscope-agent.jar"));
    assertThat(AgentJar.candidates(classes)).containsExactly(classes.resolve("ipcscope-agent.jar"),
        repo.resolve("agent/target/ipcscope-agent.jar"));
    assertThat(AgentJar.candidates(installed)).containsExactly(dir.resolve("opt/ipcscope-agent.jar"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgentJar.find(null, installed))
        .hasMessage("no ipcscope-agent.jar found (looked at " + dir.resolve("opt/ipcscope-agent.jar")
            + "); give its path with --agent-jar");

    Files.createDirectories(repo.resolve("agent/target"));
    Files.writeString(repo.resolve("agent/target/ipcscope-agent.jar"), "");
    assertThat(AgentJar.find(null, cliJar)).isEqualTo(repo.resolve("agent/target/ipcscope-agent.jar"));
    Files.writeString(repo.resolve("cli/target/ipcscope-agent.jar"), "");
    assertThat(AgentJar.find(null, cliJar)).isEqualTo(repo.resolve("cli/target/ipcscope-agent.jar"));
  }

  @Test
  void helpShowsAnExample() {
    CliRun run = CliRun.of("attach", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("ipcscope attach 4242 --options mechanisms=process+signal,debug=true");
  }

  /** A JVM running {@link AttachTarget}, as this user or as nobody. */
  private static final class Target implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final OutputStream in;

    private Target(Process process) {
      this.process = process;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = process.getOutputStream();
    }

    static Target start(Path java, boolean asNobody, int lines) throws IOException {
      List<String> command = new ArrayList<>();
      if (asNobody) {
        command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
      }
      command.addAll(List.of(java.toString(), "-cp", testClasses(), AttachTarget.class.getName(),
          Integer.toString(lines)));
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
          .directory(new java.io.File("/tmp"));
      Target target = new Target(pb.start());
      String ready = target.out.readLine();
      if (!"ready".equals(ready)) {
        throw new IllegalStateException("the target JVM said " + ready + " instead of ready");
      }
      return target;
    }

    private static String testClasses() {
      try {
        return Paths.get(AttachTarget.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    long pid() {
      return process.pid();
    }

    /** Makes it start a child and write to it; returns the kernel's name of the child's stdin. */
    String go() throws IOException {
      in.write("go\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      String line = out.readLine();
      if (line == null || !line.startsWith("stdin ")) {
        throw new IllegalStateException("the target JVM said " + line);
      }
      return line.substring("stdin ".length());
    }

    @Override
    public void close() throws Exception {
      in.close();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
