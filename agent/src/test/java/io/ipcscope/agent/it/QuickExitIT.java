package io.ipcscope.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.agent.target.PipeChild;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent's defaults with nowhere to export to (no collector socket, nothing listening at the OTLP endpoint): the
 * JVM exits as soon after its main as it would without anything to send, not after seconds of waiting for an
 * export that cannot happen.
 */
class QuickExitIT {

  private static final long MAX_EXIT_MILLIS = 1_000;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TargetJvm.Jdk.class)
  @Timeout(120)
  void withNowhereToExportTheJvmExitsWithinASecondOfItsLastLine(TargetJvm.Jdk jdk) throws Exception {
    String endpoint;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      endpoint = "http://127.0.0.1:" + s.getLocalPort(); // closed once the port is known: nothing listens there
    }
    ProcessBuilder pb = new ProcessBuilder(TargetProcess.of(jdk, PipeChild.class, "50").agent("").command())
        .redirectError(dir.resolve("stderr.txt").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("IPCSCOPE_AGENT_"));
    pb.environment().put("IPCSCOPE_AGENT_SOCKET", dir.resolve("no-collector.sock").toString());
    pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
    Process p = pb.start();
    p.getOutputStream().close();
    List<String> lines = new ArrayList<>();
    long lastLine = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        lastLine = System.nanoTime();
        lines.add(line);
      }
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastLine);
    String stderr = java.nio.file.Files.readString(dir.resolve("stderr.txt"));

    assertThat(p.exitValue()).as(stderr).isZero();
    assertThat(lines).last().isEqualTo("exit 0");
    assertThat(stderr).contains("ipcscope agent: OTLP export to " + endpoint + "/v1/traces failed: "
        + "java.net.ConnectException; spans are dropped until it answers");
    assertThat(exitMillis).as("from the last line to the exit, in ms; stderr: %s", stderr)
        .isLessThan(MAX_EXIT_MILLIS);
  }
}
