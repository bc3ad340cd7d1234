package io.ipcscope.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.KernelTestSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.TestAbortedException;

/**
 * The Debian package on this machine, as an SRE would use it: installed with dpkg, its unit checked by systemd, the
 * installed command's doctor and a short trace with no more capabilities than the unit gives, the agent jar at its
 * fixed path, then purged without a trace left.
 * Needs root (dpkg, eBPF); under CI=true it runs and fails rather than skips.
 */
@ExtendWith(KernelTestSupport.class)
class DebPackageIT {

  private static final Path DEB = Path.of(System.getProperty("ipcscope.deb", "target/ipcscope.deb"));
  private static final String UNIT = "/lib/systemd/system/ipcscope.service";

  @Test
  @Timeout(300)
  void installsRunsAndPurgesCleanly() throws Exception {
    assertThat(DEB).isRegularFile();
    if (Run.of("dpkg", "-s", "ipcscope").exit() == 0) {
      String why = "ipcscope is already installed here: this test would replace and purge it";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(why);
      }
      throw new TestAbortedException(why);
    }

    Run install = Run.of("dpkg", "-i", DEB.toString());
    assertThat(install.exit()).as("%s", install).isZero();
    try {
      List<String> installed = Run.of("dpkg", "-L", "ipcscope").output().lines().toList();
      assertThat(installed).contains("/usr/bin/ipcscope", "/usr/share/ipcscope/ipcscope.jar",
          "/usr/share/ipcscope/ipcscope-agent.jar", UNIT, "/etc/ipcscope/ipcscope.conf",
          "/usr/share/doc/ipcscope/copyright", "/usr/share/doc/ipcscope/AGENT.md");
      assertThat(Files.isExecutable(Path.of("/usr/bin/ipcscope"))).isTrue();
      assertThat(Run.of("dpkg-query", "-W", "-f=${Conffiles}", "ipcscope").output())
          .contains("/etc/ipcscope/ipcscope.conf");

      Run verify = Run.of("systemd-analyze", "verify", UNIT);
      assertThat(verify.exit()).as("%s", verify).isZero();
      assertThat(verify.output()).as("%s", verify).isEmpty();

      Run version = Run.of("/usr/bin/ipcscope", "--version");
      assertThat(version.output().strip()).isEqualTo("ipcscope " + System.getProperty("ipcscope.version"));

      // as the service runs: root's uid with only the unit's capabilities, no new privileges
      String[] asService = asService(Path.of(UNIT));
      Run doctor = Run.of(concat(asService, "/usr/bin/ipcscope", "doctor"));
      assertThat(doctor.exit()).as("%s", doctor).isZero();
      assertThat(doctor.output().strip().lines().reduce((a, b) -> b).orElseThrow())
          .isEqualTo("verdict: ready: every check passed, every probe attaches");

      // printf's 5 bytes through a pipe to cat, both ends named
      Run trace = Run.of(concat(asService, "/usr/bin/ipcscope", "trace", "-d", "30", "--", "sh", "-c",
          "printf hello | cat >/dev/null"));
      assertThat(trace.exit()).as("%s", trace).isZero();
      assertThat(trace.output())
          .containsPattern("(?m) sh\\[\\d+\\] +pipe +write +pipe:\\[\\d+\\] +cat\\[\\d+\\] +5 +5$")
          .containsPattern("(?m) cat\\[\\d+\\] +pipe +read +pipe:\\[\\d+\\] +sh\\[\\d+\\] +5 +5$")
          .contains("lost 0");

      try (JarFile agent = new JarFile("/usr/share/ipcscope/ipcscope-agent.jar")) {
        assertThat(agent.getManifest().getMainAttributes().getValue("Premain-Class"))
            .isEqualTo("io.ipcscope.agent.IpcscopeAgent");
      }
      Run withAgent = Run.of(javaCommand(),
          "-javaagent:/usr/share/ipcscope/ipcscope-agent.jar=export=none,cache=off,debug=true", "-version");
      assertThat(withAgent.exit()).as("%s", withAgent).isZero();
      assertThat(withAgent.output()).as("%s", withAgent).contains("ipcscope agent: instrumenting ")
          .doesNotContain("Exception");

      Run purge = Run.of("dpkg", "--purge", "ipcscope");
      assertThat(purge.exit()).as("%s", purge).isZero();
      assertThat(installed.stream().map(Path::of).filter(p -> !Files.isDirectory(p)).filter(Files::exists))
          .as("left behind").isEmpty();
      assertThat(Path.of("/etc/ipcscope")).doesNotExist();
      assertThat(Path.of("/var/lib/ipcscope")).doesNotExist();
      assertThat(Path.of("/usr/share/ipcscope")).doesNotExist();
      assertThat(Run.of("dpkg", "-s", "ipcscope").exit()).isNotZero();
    } finally {
      Run.of("dpkg", "--purge", "ipcscope"); // whatever failed above, the machine is left as found
    }
  }

  /** setpriv bounded to the unit's CapabilityBoundingSet, as systemd would start it (systemd is not PID 1 here). */
  private static String[] asService(Path unit) throws IOException {
    String caps = Files.readAllLines(unit).stream().filter(l -> l.startsWith("CapabilityBoundingSet="))
        .map(l -> l.substring("CapabilityBoundingSet=".length())).findFirst().orElseThrow();
    String bounding = Arrays.stream(caps.trim().split("\\s+"))
        .map(c -> "+" + c.substring("CAP_".length()).toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(","));
    assertThat(bounding).isEqualTo("+bpf,+perfmon,+sys_resource,+sys_admin,+sys_ptrace,+dac_read_search");
    return new String[] {"setpriv", "--bounding-set=-all," + bounding, "--no-new-privs", "--"};
  }

  private static String[] concat(String[] head, String... tail) {
    String[] all = Arrays.copyOf(head, head.length + tail.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
