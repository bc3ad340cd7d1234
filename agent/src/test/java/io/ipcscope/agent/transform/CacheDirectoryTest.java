package io.ipcscope.agent.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.agent.config.AgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheDirectoryTest {

  @TempDir Path dir;
  private Path jar;

  @BeforeEach
  void agentJar() throws Exception {
    jar = Files.write(dir.resolve("ipcscope-agent.jar"), new byte[] {1, 2, 3});
  }

  @Test
  void autoIsTheXdgCacheThenTheHomeCacheAndTheDirectoriesAreTheOwnersAlone() throws Exception {
    CacheDirectory.Opened xdg = CacheDirectory.open(AgentConfig.defaults(),
        Map.of("XDG_CACHE_HOME", dir.resolve("xdg").toString(), "HOME", dir.resolve("home").toString()), jar);
    CacheDirectory.Opened home = CacheDirectory.open(AgentConfig.defaults(),
        Map.of("HOME", dir.resolve("home").toString()), jar);

    assertThat(xdg.directory().getParent()).isEqualTo(dir.resolve("xdg/ipcscope/agent"));
    assertThat(home.directory().getParent()).isEqualTo(dir.resolve("home/.cache/ipcscope/agent"));
    assertThat(home.directory().getFileName().toString()).matches("build-[0-9a-f]{1,16}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.directory()))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.directory().getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void offOrNowhereMeansNoCacheWithTheReason() {
    assertThat(CacheDirectory.open(AgentConfig.load("cache=off", Map.of(), Map.of()), Map.of(), jar).describe())
        .isEqualTo("no cache: cache=off");
    assertThat(CacheDirectory.open(AgentConfig.defaults(), Map.of(), jar).describe())
        .isEqualTo("no cache: no cache directory: neither XDG_CACHE_HOME nor HOME is set (set cache=DIR)");
    assertThat(CacheDirectory.open(config(dir.resolve("c")), Map.of(), null).describe())
        .isEqualTo("no cache: the agent is not running from its jar");
  }

  @Test
  void aDirectoryOthersCanWriteOrOwnOrALinkIsNotUsed() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));
    Path linked = Files.createSymbolicLink(dir.resolve("linked"), Files.createDirectories(dir.resolve("real")));

    assertThat(CacheDirectory.open(config(shared), Map.of(), jar).describe())
        .isEqualTo("no cache: " + shared + " is writable by others than its owner; not used");
    assertThat(CacheDirectory.open(config(linked), Map.of(), jar).describe())
        .isEqualTo("no cache: " + linked + " is not a directory (or is a symbolic link); not used");
  }

  @Test
  void aDirectoryOfAnotherUserIsNotUsed() throws Exception {
    Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (!uid.equals(0)) {
      // skipped only off CI: CI runs as root and must run it
      org.junit.jupiter.api.Assertions.assertNull(System.getenv("CI"), "CI must run as root to test this");
      org.junit.jupiter.api.Assumptions.abort("needs root to give a directory away");
    }
    Path theirs = Files.createDirectories(dir.resolve("theirs"));
    Files.setPosixFilePermissions(theirs, PosixFilePermissions.fromString("rwx------"));
    Files.setAttribute(theirs, "unix:uid", 65534);

    assertThat(CacheDirectory.open(config(theirs), Map.of(), jar).describe())
        .isEqualTo("no cache: " + theirs + " belongs to uid 65534, not to this process's uid 0; not used");
  }

  @Test
  void anotherAgentBuildOrOtherMechanismsGetAnotherDirectory() throws Exception {
    Path root = dir.resolve("c");
    Path first = CacheDirectory.open(config(root), Map.of(), jar).directory();

    assertThat(CacheDirectory.open(config(root), Map.of(), jar).directory()).isEqualTo(first);
    assertThat(CacheDirectory.open(AgentConfig.load("cache=" + root + ",mechanisms=process", Map.of(), Map.of()),
        Map.of(), jar).directory()).isNotEqualTo(first);
    Files.write(jar, new byte[] {1, 2, 3, 4});
    assertThat(CacheDirectory.open(config(root), Map.of(), jar).directory()).isNotEqualTo(first);
  }

  @Test
  void directoriesOfOtherBuildsUnusedForThirtyDaysGoWhenANewBuildStarts() throws Exception {
    Path root = Files.createDirectories(dir.resolve("c"));
    Path stale = Files.createDirectories(root.resolve("build-5ca1e"));
    Files.write(stale.resolve("java.io.FileInputStream-1-00.class"), new byte[] {1});
    Path recent = Files.createDirectories(root.resolve("build-7ece27"));
    Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(31))));
    Files.setLastModifiedTime(recent, FileTime.from(Instant.now().minus(Duration.ofDays(29))));

    Path current = CacheDirectory.open(config(root), Map.of(), jar).directory();

    assertThat(root.toFile().list()).containsExactlyInAnyOrder("build-7ece27", current.getFileName().toString());
  }

  private static AgentConfig config(Path cache) {
    return AgentConfig.load("cache=" + cache, Map.of(), Map.of());
  }
}
