package io.ipcscope.agent.it;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A target app in a fresh JVM, more freely than {@link TargetJvm}: any JVM options (the OpenTelemetry Java agent
 * beside ours, in either order), a longer class path, and either run to its end or started and talked to while it
 * runs (its stdin, the lines it prints). Keeps stdout as bytes, so that runs can be compared byte for byte.
 *
 * <pre>{@code
 * TargetProcess.Running app = TargetProcess.of(jdk, HttpSortServer.class).agent("socket=" + stub.path()).start();
 * int port = Integer.parseInt(app.awaitValue("port"));
 * ...
 * TargetProcess.Finished done = app.closeStdinAndWait();
 * }</pre>
 */
final class TargetProcess {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final TargetJvm.Jdk jdk;
  private final Class<?> main;
  private final List<String> args = new ArrayList<>();
  private final List<String> jvmOptions = new ArrayList<>();
  private final List<String> classpath = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();

  private TargetProcess(TargetJvm.Jdk jdk, Class<?> main, String... args) {
    this.jdk = jdk;
    this.main = main;
    this.args.addAll(List.of(args));
    this.classpath.add(System.getProperty("ipcscope.test.classes", "target/test-classes"));
  }

  static TargetProcess of(TargetJvm.Jdk jdk, Class<?> main, String... args) {
    return new TargetProcess(jdk, main, args);
  }

  /** -javaagent:ipcscope-agent.jar=options ("" for none); the agents load in the order they were added. */
  TargetProcess agent(String options) {
    jvmOptions.add("-javaagent:" + TargetJvm.agentJar() + (options.isEmpty() ? "" : "=" + options));
    return this;
  }

  /** The official OpenTelemetry Java agent, with -Dotel... options given separately. */
  TargetProcess otelAgent() {
    jvmOptions.add("-javaagent:" + otelAgentJar());
    return this;
  }

  TargetProcess jvm(String... options) {
    jvmOptions.addAll(List.of(options));
    return this;
  }

  TargetProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  TargetProcess env(Map<String, String> values) {
    env.putAll(values);
    return this;
  }

  /** Adds the jars (or directories) the given classes were loaded from: a library the target app uses. */
  TargetProcess classpathOf(Class<?>... classes) {
    for (Class<?> c : classes) {
      try {
        classpath.add(Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (Exception e) {
        throw new IllegalStateException("where " + c + " comes from", e);
      }
    }
    return this;
  }

  static Path otelAgentJar() {
    String jar = System.getProperty("ipcscope.otel.javaagent.jar");
    if (jar == null || jar.isEmpty() || !Files.isRegularFile(Paths.get(jar))) {
      throw new IllegalStateException("ipcscope.otel.javaagent.jar (set by the agent's pom) names no jar: " + jar);
    }
    return Paths.get(jar);
  }

  List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(jdk.java().toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classpath));
    command.add(main.getName());
    command.addAll(args);
    return command;
  }

  /** Runs the app to its end, its stdin empty. */
  Finished run() throws IOException, InterruptedException {
    return start().closeStdinAndWait();
  }

  Running start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command());
    pb.environment().put("IPCSCOPE_AGENT_CACHE", TargetJvm.SHARED_CACHE.toAbsolutePath().toString());
    pb.environment().putAll(env);
    Path err = Files.createTempFile("target-stderr", ".txt");
    pb.redirectError(err.toFile());
    return new Running(pb.start(), err, main.getSimpleName());
  }

  /** What a finished app left: exit code, stdout as bytes and as lines, stderr. */
  record Finished(int exit, byte[] stdoutBytes, String stderr) {
    List<String> stdout() {
      String text = new String(stdoutBytes, StandardCharsets.UTF_8);
      return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }

    /** stderr's lines from our agent. */
    List<String> agentLines() {
      return stderr.lines().filter(l -> l.startsWith("ipcscope agent: ")).toList();
    }

    String value(String key) {
      return TargetProcess.value(stdout(), key, stderr);
    }
  }

  /** A started app: its stdout is collected as it comes. */
  static final class Running implements AutoCloseable {
    private final Process process;
    private final Path stderr;
    private final String name;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Thread reader;

    private Running(Process process, Path stderr, String name) {
      this.process = process;
      this.stderr = stderr;
      this.name = name;
      this.reader = new Thread(this::readStdout, "target-stdout-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    private void readStdout() {
      byte[] buffer = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          synchronized (out) {
            out.write(buffer, 0, n);
          }
        }
      } catch (IOException e) {
        // the process went away
      }
    }

    long pid() {
      return process.pid();
    }

    List<String> stdoutSoFar() {
      String text;
      synchronized (out) {
        text = out.toString(StandardCharsets.UTF_8);
      }
      int lastNewline = text.lastIndexOf('\n');
      return lastNewline < 0 ? List.of() : List.of(text.substring(0, lastNewline).split("\n"));
    }

    /** Waits for the line "key value" and returns the value. */
    String awaitValue(String key) throws InterruptedException, IOException {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        for (String line : stdoutSoFar()) {
          if (line.startsWith(key + " ")) {
            return line.substring(key.length() + 1);
          }
        }
        if (!process.isAlive()) {
          reader.join(1000);
          return TargetProcess.value(stdoutSoFar(), key, Files.readString(stderr));
        }
        Thread.sleep(20);
      }
      throw new AssertionError(name + " printed no '" + key + "' line in " + TIMEOUT + ": " + stdoutSoFar()
          + "\nstderr: " + Files.readString(stderr));
    }

    /** Waits for a line that is exactly {@code line}. */
    void awaitLine(String line) throws InterruptedException, IOException {
      awaitOutput(() -> stdoutSoFar().contains(line), "the line '" + line + "'");
    }

    /** Waits until stderr holds {@code text}. */
    void awaitStderr(String text) throws InterruptedException, IOException {
      awaitOutput(() -> stderrSoFar().contains(text), "'" + text + "' on stderr");
    }

    String stderrSoFar() {
      try {
        return Files.readString(stderr);
      } catch (IOException e) {
        return "";
      }
    }

    private void awaitOutput(java.util.function.BooleanSupplier done, String what)
        throws InterruptedException, IOException {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (done.getAsBoolean()) {
          return;
        }
        if (!process.isAlive()) {
          reader.join(1000);
          if (done.getAsBoolean()) {
            return;
          }
          break;
        }
        Thread.sleep(20);
      }
      throw new AssertionError(name + " printed no " + what + ": " + stdoutSoFar() + "\nstderr: " + stderrSoFar());
    }

    void writeLine(String line) throws IOException {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    }

    Finished closeStdinAndWait() throws IOException, InterruptedException {
      process.getOutputStream().close();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(name + " did not exit in " + TIMEOUT + "; stderr: " + Files.readString(stderr));
      }
      reader.join(5000);
      String err = Files.readString(stderr);
      Files.deleteIfExists(stderr);
      byte[] bytes;
      synchronized (out) {
        bytes = out.toByteArray();
      }
      return new Finished(process.exitValue(), bytes, err);
    }

    @Override
    public void close() throws IOException {
      if (process.isAlive()) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(stderr);
    }
  }

  private static String value(List<String> lines, String key, String stderr) {
    for (String line : lines) {
      if (line.startsWith(key + " ")) {
        return line.substring(key.length() + 1);
      }
    }
    throw new AssertionError("no '" + key + "' line in the target's output " + lines + "\nstderr: " + stderr);
  }
}
