package io.ipcscope.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.probes.KernelTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace -w} records a demo while showing it; {@code trace --replay} of the recording, in another JVM with
 * another pid and no probes, shows the very same lines: the model is a function of the recording.
 */
@ExtendWith(KernelTestSupport.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RecordReplayKernelTest {

  @TempDir Path dir;

  @Test
  void aReplayShowsExactlyTheLinesTheLiveRunShowed() throws Exception {
    for (String format : List.of("json", "text")) {
      Path recording = dir.resolve("rec" + format + ".bin");
      Path live = dir.resolve("live" + format + ".txt");
      Path replayed = dir.resolve("replayed" + format + ".txt");
      List<String> trace = new ArrayList<>(List.of("trace", "-w", recording.toString(), "-o", live.toString()));
      if (format.equals("json")) {
        trace.add("--json");
      }
      trace.addAll(List.of("--", "sh", "-c", "head -c 100000 /dev/zero | cat >/dev/null; echo hi | tr h H >/dev/null"));
      assertThat(run(trace)).as("trace -w exit code").isZero();

      List<String> replay = new ArrayList<>(List.of("trace", "--replay", recording.toString(), "-o",
          replayed.toString()));
      if (format.equals("json")) {
        replay.add("--json");
      }
      assertThat(run(replay)).as("trace --replay exit code").isZero();

      List<String> liveLines = Files.readAllLines(live);
      assertThat(liveLines).as("the live %s lines", format)
          .anyMatch(l -> l.contains("head") && l.contains("cat") && l.contains("pipe"));
      assertThat(Files.readAllLines(replayed)).isEqualTo(liveLines);
    }
  }

  @Test
  void aRecordingCutShortReplaysWhatItHasAndSaysWhereItEnds() throws Exception {
    Path recording = dir.resolve("rec.bin");
    assertThat(run(List.of("trace", "-w", recording.toString(), "-o", "/dev/null", "--", "sh", "-c",
        "head -c 100000 /dev/zero | cat >/dev/null"))).isZero();
    byte[] bytes = Files.readAllBytes(recording);
    Path cut = Files.write(dir.resolve("cut.bin"), java.util.Arrays.copyOf(bytes, bytes.length - 3));
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(command(List.of("trace", "--replay", cut.toString(), "-o", "/dev/null")))
        .redirectError(err.toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(Files.readString(err)).containsPattern("ipcscope: " + java.util.regex.Pattern.quote(cut.toString())
        + ": recording truncated at byte \\d+ \\(record \\d+\\): replayed the \\d+ records before it\n");
  }

  private static List<String> command(List<String> args) {
    List<String> cmd = new ArrayList<>(TracerProcess.javaCommand("io.ipcscope.cli.Ipcscope"));
    cmd.addAll(args);
    return cmd;
  }

  private static int run(List<String> args) throws Exception {
    Process p = new ProcessBuilder(command(args)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("ipcscope " + args + " did not end within 90 s");
    }
    return p.exitValue();
  }
}
