package io.ipcscope.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ipcscope.probes.KernelTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The collector's image, built from the Dockerfile and run as the DaemonSet runs it, with podman:
 * <ol>
 *   <li>the base image, {@code debian:bookworm-slim}, is made here with debootstrap (no registry is reachable from
 *       the test machines) and given to the build with {@code --from};
 *   <li>the init container's command offers the agent jar;
 *   <li>{@code doctor} in the container, with the DaemonSet's security context (its capabilities alone, no privilege
 *       escalation, a read-only root, the host's pid namespace, its host mounts): every probe attaches;
 *   <li>the collector in the container names the two ends of a pipe between two host processes, its live socket in
 *       the host directory the DaemonSet mounts;
 *   <li>a JVM in a container of its own (its own pid namespace, as a pod's), with the offered agent and the
 *       collector's socket mounted, is welcomed and its calls joined with the kernel's view.
 * </ol>
 * Needs root, eBPF, podman, runc and debootstrap; under CI=true it runs and fails rather than skips.
 */
@ExtendWith(KernelTestSupport.class)
class ImageIT {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String VERSION = System.getProperty("ipcscope.version");
  private static final String BASE = "localhost/ipcscope-it-base:bookworm";
  private static final String IMAGE = "localhost/ipcscope-it:" + VERSION;
  private static final String COLLECTOR = "ipcscope-it-collector";

  @TempDir Path dir;

  @Test
  @Timeout(900)
  void theImageRunsAsTheDaemonSetSaysAndServesThePodsAgents() throws Exception {
    for (String tool : List.of("podman", "runc", "debootstrap")) {
      if (Run.of("sh", "-c", "command -v " + tool).exit() != 0) {
        String why = tool + " is not installed (apt-get install podman runc debootstrap)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          throw new AssertionError(why);
        }
        throw new TestAbortedException(why);
      }
    }
    JsonNode pod = daemonSetPod();
    JsonNode collector = pod.path("containers").get(0);
    Path run = Files.createDirectories(dir.resolve("run"));
    Path offer = Files.createDirectories(dir.resolve("offer"));
    try {
      buildImage();

      // the init container: the agent jar, for the node's pods
      // a command replaces the image's entrypoint, as Kubernetes' command does
      List<String> init = new ArrayList<>();
      pod.path("initContainers").get(0).path("command").forEach(c -> init.add(c.asText()));
      Run offered = podman("run", "--rm", "-v", offer + ":/offer", "--entrypoint", init.get(0), IMAGE)
          .args(init.subList(1, init.size())).run();
      assertThat(offered.exit()).as("%s", offered).isZero();
      assertThat(Files.mismatch(offer.resolve("ipcscope-agent.jar"), Path.of("../agent/target/ipcscope-agent.jar")))
          .as("the offered jar is the agent's").isEqualTo(-1L);

      Run doctor = asTheDaemonSet(collector, run, "--rm").args("doctor").run();
      assertThat(doctor.exit()).as("%s", doctor).isZero();
      assertThat(doctor.output().strip().lines().reduce((a, b) -> b).orElseThrow())
          .isEqualTo("verdict: ready: every check passed, every probe attaches");

      // the collector, as the DaemonSet starts it, exporting to a backend that is not there
      List<String> args = new ArrayList<>();
      collector.path("args").forEach(a -> args.add(a.asText()));
      args.set(args.indexOf("--endpoint") + 1, "http://127.0.0.1:9");
      Run started = asTheDaemonSet(collector, run, "-d", "--name", COLLECTOR).args(args).run();
      assertThat(started.exit()).as("%s", started).isZero();
      awaitCollector(run);

      Path reader = dir.resolve("unitcheck");
      Files.copy(Path.of("/bin/cat"), reader);
      Files.setPosixFilePermissions(reader, PosixFilePermissions.fromString("rwxr-xr-x"));
      Run pipe = Run.of("sh", "-c", "printf hello | " + reader + " >/dev/null");
      assertThat(pipe.exit()).as("%s", pipe).isZero();
      awaitGraph(run, "(?s).*\"(p\\d+@\\d+)\" \\[label=\"sh\\[\\d+\\]\"\\];.*\"(p\\d+@\\d+)\" "
          + "\\[label=\"unitcheck\\[\\d+\\]\"\\];.*\"\\1\" -> \"\\2\" \\[label=\"pipe \\[\\d+\\]\\\\n1 op, 5 B\"\\];.*");

      // a pod's JVM: its own pid namespace, the offered agent, the node's agent socket
      Run jvm = podman("run", "--rm", "--network=none", "--entrypoint", "java", "-v", offer + ":/ipcscope:ro",
          "-v", run + ":/run/ipcscope", "-v", Path.of("target/test-classes").toAbsolutePath() + ":/app:ro", IMAGE)
          .args("-javaagent:/ipcscope/ipcscope-agent.jar", "-cp", "/app", PodWorkload.class.getName()).run();
      assertThat(jvm.exit()).as("%s", jvm).isZero();
      assertThat(jvm.output()).as("%s", jvm).containsPattern("(?m)^pid 1 cat 0 read hello$");
      JsonNode agents = awaitAgents(run, a -> a.path("welcomed").asLong() == 1 && a.path("joined").asLong() >= 2);
      assertThat(agents.path("rejected").asLong()).as("%s", agents).isZero();
      assertThat(agents.path("unjoined").asLong()).as("%s", agents).isZero();
      assertThat(agents.path("bad_lines").asLong()).as("%s", agents).isZero();
      assertThat(agents.path("ops").asLong()).as("the spawn, the write and the read: %s", agents).isEqualTo(3);
      assertThat(agents.path("joined").asLong()).as("the write and the read: %s", agents).isEqualTo(2);

      Run stop = podman("stop", "-t", "30", COLLECTOR).run();
      assertThat(stop.exit()).as("%s", stop).isZero();
      Run logs = podman("logs", COLLECTOR).run();
      assertThat(logs.output()).as("%s", logs).doesNotContain("\tat ").contains("1 JVM agents");
    } finally {
      podman("rm", "-f", COLLECTOR).run();
      podman("rmi", "-f", IMAGE, BASE).run();
    }
  }

  /** The base image, as Debian makes it: debootstrap's minimal bookworm, imported. */
  private void buildImage() throws Exception {
    Path rootfs = dir.resolve("rootfs");
    Run bootstrap = Run.of("debootstrap", "--variant=minbase", "bookworm", rootfs.toString(),
        "http://deb.debian.org/debian");
    assertThat(bootstrap.exit()).as("%s", bootstrap).isZero();
    Run imported = Run.of("sh", "-c", "tar -C " + rootfs + " -c . | podman " + String.join(" ", PODMAN_OPTIONS)
        + " import - " + BASE);
    assertThat(imported.exit()).as("%s", imported).isZero();
    // chroot isolation: the build's steps need no OCI runtime, whatever the host's cgroups
    Run build = podman("build", "--isolation=chroot", "--network=host", "--pull=never", "--from=" + BASE, "-t", IMAGE,
        "-f", Path.of("src/docker/Dockerfile").toAbsolutePath().toString(), Path.of("target").toAbsolutePath()
            .toString()).run();
    assertThat(build.exit()).as("%s", build).isZero();
  }

  /** podman run with the DaemonSet's collector container's security context, host pid namespace and mounts. */
  private Podman asTheDaemonSet(JsonNode collector, Path run, String... options) {
    JsonNode security = collector.path("securityContext");
    assertThat(security.path("privileged").asBoolean()).isFalse();
    List<String> command = new ArrayList<>(List.of("run", "--pid=host", "--network=host"));
    command.addAll(List.of(options));
    command.add("--cap-drop=all");
    security.at("/capabilities/add").forEach(c -> command.add("--cap-add=" + c.asText()));
    if (!security.path("allowPrivilegeEscalation").asBoolean(true)) {
      command.add("--security-opt=no-new-privileges");
    }
    if (security.path("readOnlyRootFilesystem").asBoolean()) {
      command.add("--read-only");
    }
    command.add("--user=" + security.path("runAsUser").asInt());
    command.addAll(List.of("-v", "/sys/kernel/btf:/sys/kernel/btf:ro", "-v", "/sys/kernel/tracing:/sys/kernel/tracing",
        "-v", "/sys/fs/bpf:/sys/fs/bpf", "-v", run + ":/run/ipcscope", "--tmpfs", "/tmp", IMAGE));
    return podman(command.toArray(String[]::new));
  }

  private static JsonNode daemonSetPod() throws Exception {
    try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class)
        .readValues(Path.of("src/k8s/daemonset.yaml").toFile())) {
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc.path("kind").asText().equals("DaemonSet")) {
          return doc.at("/spec/template/spec");
        }
      }
    }
    throw new AssertionError("no DaemonSet in daemonset.yaml");
  }

  private void awaitCollector(Path run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Run status = null;
    while (System.nanoTime() < deadline) {
      status = ipcscope("status", "--socket", run.resolve("collector.sock").toString());
      if (status.exit() == 0 && status.output().matches("(?s)collector .*\\nevents .* [1-9]\\d* in all\\n.*")
          && Files.exists(run.resolve("agent.sock"))) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the collector in the container never answered: " + status + "\n"
        + podman("logs", COLLECTOR).run());
  }

  private void awaitGraph(Path run, String pattern) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Run graph = null;
    while (System.nanoTime() < deadline) {
      graph = ipcscope("graph", "--socket", run.resolve("collector.sock").toString(), "--format", "dot");
      if (graph.output().matches(pattern)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the pipe never came to the collector's graph: " + graph);
  }

  private JsonNode awaitAgents(Path run, java.util.function.Predicate<JsonNode> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonNode agents = null;
    while (System.nanoTime() < deadline) {
      Run status = ipcscope("status", "--json", "--socket", run.resolve("collector.sock").toString());
      agents = new ObjectMapper().readTree(status.output()).path("health").path("agents");
      if (done.test(agents)) {
        return agents;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("the pod's agent never got there: " + agents + "\n" + podman("logs", COLLECTOR).run());
  }

  /** The host's own ipcscope, this build's, asking the collector in the container. */
  private static Run ipcscope(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("../cli/target/ipcscope.jar").toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return Run.of(command.toArray(String[]::new));
  }

  /**
   * What podman needs on the test machines, whose init is not systemd and whose cgroups are a v1 and v2 hybrid,
   * which crun refuses: cgroups managed as files, events in a file, runc.
   */
  private static final List<String> PODMAN_OPTIONS = List.of("--cgroup-manager=cgroupfs", "--events-backend=file",
      "--runtime=runc");

  private static Podman podman(String... args) {
    return new Podman(new ArrayList<>(List.of(args)));
  }

  /** A podman command line being put together. */
  private record Podman(List<String> args) {

    Podman args(String... more) {
      args.addAll(List.of(more));
      return this;
    }

    Podman args(List<String> more) {
      args.addAll(more);
      return this;
    }

    Run run() throws Exception {
      List<String> all = new ArrayList<>(List.of("podman"));
      all.addAll(PODMAN_OPTIONS);
      boolean running = !args.isEmpty() && args.get(0).equals("run");
      all.add(args.get(0));
      if (running) {
        // the machine's bounding set lacks CAP_SYS_RESOURCE: a container may not raise its limits above ours
        all.addAll(List.of("--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096"));
      }
      all.addAll(args.subList(1, args.size()));
      return Run.of(all.toArray(String[]::new));
    }
  }
}
