package io.ipcscope.agent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a target app's main class in a fresh JVM, with or without the agent, and keeps what it printed. */
final class TargetJvm {

  /** The JDKs the agent must work on: 17, the default here, and 25, beside it. */
  enum Jdk {
    JDK17(Paths.get(System.getProperty("java.home"))),
    JDK25(Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64"));

    final Path home;

    Jdk(Path home) {
      this.home = home;
    }

    Path java() {
      return home.resolve("bin/java");
    }
  }

  record Result(int exit, List<String> stdout, String stderr) {
    /** The value after "key " in the line starting with it. */
    String value(String key) {
      for (String line : stdout) {
        if (line.startsWith(key + " ")) {
          return line.substring(key.length() + 1);
        }
      }
      throw new AssertionError("no '" + key + "' line in the target's output " + stdout + "\nstderr: " + stderr);
    }
  }

  static final Path SHARED_CACHE = Paths.get("target/agent-cache");

  static Path agentJar() {
    return Paths.get(System.getProperty("ipcscope.agent.jar", "target/ipcscope-agent.jar"));
  }

  static Result run(Jdk jdk, String agentArgs, Map<String, String> env, Class<?> main, String... args)
      throws IOException, InterruptedException {
    return run(jdk, agentArgs, env, List.of(), main, args);
  }

  /** @param libraries jars the target needs beside the test classes (JNA) */
  static Result run(Jdk jdk, String agentArgs, Map<String, String> env, List<Path> libraries, Class<?> main,
      String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(jdk.java().toString());
    if (agentArgs != null) {
      command.add("-javaagent:" + agentJar() + (agentArgs.isEmpty() ? "" : "=" + agentArgs));
    }
    command.add("-cp");
    StringBuilder classpath = new StringBuilder(System.getProperty("ipcscope.test.classes", "target/test-classes"));
    libraries.forEach(jar -> classpath.append(java.io.File.pathSeparator).append(jar));
    command.add(classpath.toString());
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    // one cache for every test's JVMs, in the build's directory, not the user's: the first JVM to load a class weaves
    // it with Byte Buddy and the others take it from the cache, so both ways are tested on every instrumentation
    pb.environment().put("IPCSCOPE_AGENT_CACHE", SHARED_CACHE.toAbsolutePath().toString());
    pb.environment().putAll(env);
    Path err = Files.createTempFile("target-stderr", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("target " + main.getSimpleName() + " did not exit in 60 s");
    }
    String stderr = Files.readString(err);
    Files.delete(err);
    return new Result(p.exitValue(), List.of(new String(out, StandardCharsets.UTF_8).split("\n")), stderr);
  }
}
