package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.agent.target.PipeChild;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The woven classes kept on disk: the first JVM weaves with Byte Buddy and fills the cache, the next takes every class
 * from it without loading Byte Buddy at all, and both report the same operations. A damaged entry is never used.
 */
class TransformCacheIT {

  /** Byte Buddy's start loads over a thousand of its classes; the verifier may load a few of the agent's types. */
  private static final int BYTE_BUDDY_STARTED = 500;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void theSecondJvmTakesEveryClassFromTheCacheAndNeverLoadsByteBuddy(TargetJvm.Jdk jdk) throws Exception {
    Path cache = dir.resolve("cache");

    Run first = run(jdk, cache);
    assertThat(first.status()).contains("; cache " + cache + "/build-", " 0 class(es) from the cache, ")
        .doesNotContain("(not loaded)");
    assertThat(first.byteBuddyLoaded()).isTrue();
    List<String> entries = entries(cache);
    assertThat(entries).contains("java.io.FileInputStream", "java.io.FileOutputStream", "java.lang.ProcessBuilder",
        "java.lang.ProcessImpl");

    Run second = run(jdk, cache);
    assertThat(second.status()).contains(" 0 woven by Byte Buddy (not loaded)");
    assertThat(second.byteBuddyLoaded()).as("Byte Buddy's AgentBuilder loaded on a warm start").isFalse();
    assertThat(entries(cache)).isEqualTo(entries);
    assertThat(second.writes()).isEqualTo(first.writes()).isEqualTo("20 writes of 6 bytes");
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void aDamagedEntryIsWovenAgainNotLoaded(TargetJvm.Jdk jdk) throws Exception {
    Path cache = dir.resolve("cache");
    run(jdk, cache);
    Path entry;
    try (Stream<Path> files = Files.walk(cache)) {
      entry = files.filter(f -> f.getFileName().toString().equals("java.io.FileOutputStream.class")).findFirst()
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length / 2] ^= 0x5a; // a flipped byte in the middle of a JDK class the JVM would not verify
    Files.write(entry, bytes);

    Run damaged = run(jdk, cache);

    assertThat(damaged.exit()).as(damaged.stderr()).isZero();
    assertThat(damaged.writes()).isEqualTo("20 writes of 6 bytes");
    assertThat(damaged.byteBuddyLoaded()).isTrue();
    assertThat(Files.readAllBytes(entry)).as("rewoven entry").isNotEqualTo(bytes);
  }

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  void aCacheDirectoryOthersCanWriteIsNotUsed(TargetJvm.Jdk jdk) throws Exception {
    Path cache = Files.createDirectories(dir.resolve("shared"));
    Files.setPosixFilePermissions(cache, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));

    Run run = run(jdk, cache);

    assertThat(run.status()).contains("; no cache: " + cache + " is writable by others than its owner; not used; ");
    assertThat(run.writes()).isEqualTo("20 writes of 6 bytes");
    assertThat(entries(cache)).isEmpty();
  }

  private record Run(int exit, String status, boolean byteBuddyLoaded, String writes, String stderr) {}

  /** PipeChild with 20 writes, reporting to a collector stub; the agent's status line and class loading kept. */
  private Run run(TargetJvm.Jdk jdk, Path cache) throws Exception {
    try (AgentSocketStub collector = new AgentSocketStub(dir)) {
      TargetJvm.Result result = TargetJvm.run(jdk, "debug=true,cache=" + cache + ",socket=" + collector.path(),
          Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + dir.resolve("classes.log")),
          PipeChild.class, "20");
      assertThat(result.exit()).as(result.stderr()).isZero();
      String status = result.stderr().lines().filter(l -> l.startsWith("ipcscope agent: instrumenting ")).findFirst()
          .orElseThrow(() -> new AssertionError("no status line in " + result.stderr()));
      long byteBuddyClasses = Files.readAllLines(dir.resolve("classes.log")).stream()
          .filter(l -> l.contains(" io.ipcscope.agent.shaded.bytebuddy.")).count();
      boolean byteBuddy = byteBuddyClasses > BYTE_BUDDY_STARTED;
      long writes = Ops.ofOperation(collector.lines("op"), "write").stream()
          .filter(w -> w.path("bytes").asLong() == 6).count();
      return new Run(result.exit(), status, byteBuddy, writes + " writes of 6 bytes", result.stderr());
    }
  }

  /** The classes the cache holds, by name, in order. */
  private static List<String> entries(Path cache) throws IOException {
    if (!Files.exists(cache)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(cache)) {
      // a JDK class is NAME.class, another NAME-LENGTH-CHECKSUMS.class
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replaceFirst("-.*", "")).sorted()
          .collect(Collectors.toList());
    }
  }
}
