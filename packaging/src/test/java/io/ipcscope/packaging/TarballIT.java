package io.ipcscope.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.KernelTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The tarball unpacked anywhere: its layout, and its launcher on each JDK of this machine. Needs root (doctor). */
@ExtendWith(KernelTestSupport.class)
class TarballIT {

  private static final Path TARBALL = Path.of(System.getProperty("ipcscope.tarball", "target/ipcscope.tar.gz"));
  private static final String VERSION = System.getProperty("ipcscope.version");
  private static final Path TEMURIN_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  @TempDir Path dir;

  @Test
  @Timeout(180)
  void unpacksToALauncherTheJarsTheUnitAndTheDocs() throws Exception {
    assertThat(Run.of("tar", "-xzf", TARBALL.toString(), "-C", dir.toString()).exit()).isZero();
    Path home = dir.resolve("ipcscope-" + VERSION);
    List<String> files;
    try (Stream<Path> walk = Files.walk(home)) {
      files = walk.filter(Files::isRegularFile).map(p -> home.relativize(p).toString()).sorted().toList();
    }
    List<String> docs;
    try (Stream<Path> list = Files.list(Path.of("..", "docs"))) {
      docs = list.map(p -> "docs/" + p.getFileName()).toList();
    }
    assertThat(files).containsAll(docs).hasSize(docs.size() + 10).contains("bin/ipcscope", "lib/ipcscope.jar",
        "lib/ipcscope-agent.jar", "systemd/ipcscope.service", "systemd/ipcscope.conf", "deploy/daemonset.yaml",
        "deploy/Dockerfile", "deploy/collector.yaml", "README.md", "LICENSE");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("bin/ipcscope"))))
        .isEqualTo("rwxr-xr-x");

    // from any directory, through a symlink as /usr/local/bin would hold it, on JDK 17 and JDK 25
    Path link = Files.createSymbolicLink(dir.resolve("ipcscope"), home.resolve("bin/ipcscope"));
    Run onPath = Run.in(dir, Map.of(), link.toString(), "--version");
    assertThat(onPath.output().strip()).as("%s", onPath).isEqualTo("ipcscope " + VERSION);
    Run on25 = Run.in(dir, Map.of("JAVA_HOME", TEMURIN_25.toString()), link.toString(), "--version");
    assertThat(on25.output().strip()).as("%s", on25).isEqualTo("ipcscope " + VERSION);

    Run doctor = Run.in(dir, Map.of(), link.toString(), "doctor");
    assertThat(doctor.exit()).as("%s", doctor).isZero();
    assertThat(doctor.output()).contains("verdict: ready: every check passed, every probe attaches");

    Run noJava = Run.in(dir, Map.of("JAVA_HOME", dir.resolve("nowhere").toString()), link.toString(), "--version");
    assertThat(noJava.exit()).isEqualTo(1);
    assertThat(noJava.output().strip())
        .isEqualTo("ipcscope: no java found: install a JDK or JRE 17 or later, or set JAVA_HOME");
  }
}
