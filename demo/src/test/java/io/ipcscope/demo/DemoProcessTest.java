package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo as its own JVM: told to stop, or killed, it leaves no process and no file behind. */
class DemoProcessTest {

  private static final Pattern PIDS = Pattern.compile("demo (\\S+): pids (.*)");

  @TempDir Path tmp;

  /** Starts {@code DemoCommand ARGS} with java.io.tmpdir = tmp and returns once it printed its pids. */
  private Started start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElseThrow(),
        "-Djava.io.tmpdir=" + tmp, "-Djdk.lang.Process.launchMechanism=FORK",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), DemoCommand.class.getName()));
    command.addAll(List.of(args));
    Process demo = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader err = new BufferedReader(new InputStreamReader(demo.getErrorStream()));
    String line = err.readLine();
    assertThat(line).as("first stderr line of the demo").isNotNull();
    Matcher m = PIDS.matcher(line);
    assertThat(m.matches()).as(line).isTrue();
    Map<String, Long> roles = new LinkedHashMap<>();
    for (String pair : m.group(2).split(" ")) {
      String[] kv = pair.split("=");
      if (!kv[0].equals("parent")) {
        roles.put(kv[0], Long.parseLong(kv[1]));
      }
    }
    return new Started(demo, roles);
  }

  private record Started(Process demo, Map<String, Long> roles) {
    List<Long> children() {
      return List.copyOf(roles.values());
    }

    long pid(String role) {
      return roles.get(role);
    }
  }

  private List<Path> leftovers() throws Exception {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(p -> p.getFileName().toString().startsWith("ipcscope-demo-")).toList();
    }
  }

  private static void awaitGone(List<Long> pids, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (pids.stream().anyMatch(Demo::alive) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(pids).noneMatch(Demo::alive);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sigtermStopsChildrenAndRemovesTheTempDir() throws Exception {
    Started s = start("signal", "--duration", "30", "--rate", "50");
    assertThat(s.children()).hasSize(2).allMatch(Demo::alive);
    assertThat(leftovers()).hasSize(1);
    Thread.sleep(300); // Mid-traffic.

    long sent = System.nanoTime();
    s.demo().destroy(); // SIGTERM
    assertThat(s.demo().waitFor(5, TimeUnit.SECONDS)).isTrue();

    awaitGone(s.children(), 5000);
    assertThat(System.nanoTime() - sent).isLessThan(TimeUnit.SECONDS.toNanos(5));
    assertThat(leftovers()).isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sigtermRemovesTheSysvQueue() throws Exception {
    Started s = start("sysv-mq", "--duration", "30", "--rate", "50");
    int key = SysvMqWorkload.key(s.demo().pid());
    assertThat(MessageQueues.sysvKeys()).contains(key);
    Thread.sleep(300); // Mid-traffic.

    s.demo().destroy();
    assertThat(s.demo().waitFor(5, TimeUnit.SECONDS)).isTrue();

    assertThat(s.demo().exitValue()).isEqualTo(143);
    awaitGone(s.children(), 5000);
    assertThat(MessageQueues.sysvKeys()).doesNotContain(key);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aKilledServerFailsTheDemoWhichStillRemovesTheQueue() throws Exception {
    Started s = start("sysv-mq", "--duration", "30", "--rate", "50");
    int key = SysvMqWorkload.key(s.demo().pid());
    Thread.sleep(300);

    Libc.kill(s.pid("server"), 9);
    assertThat(s.demo().waitFor(5, TimeUnit.SECONDS)).isTrue();

    assertThat(s.demo().exitValue()).isEqualTo(1);
    awaitGone(s.children(), 5000);
    assertThat(MessageQueues.sysvKeys()).doesNotContain(key);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sigtermUnlinksThePosixQueue() throws Exception {
    Started s = start("posix-mq", "--duration", "30", "--rate", "50");
    String name = PosixMqWorkload.queueName(s.demo().pid());
    assertThat(MessageQueues.posixExists(name)).isTrue();
    Thread.sleep(300);

    s.demo().destroy();
    assertThat(s.demo().waitFor(5, TimeUnit.SECONDS)).isTrue();

    assertThat(s.demo().exitValue()).isEqualTo(143);
    awaitGone(s.children(), 5000);
    assertThat(MessageQueues.posixExists(name)).isFalse();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aKilledConsumerFailsTheDemoWhichStillUnlinksTheQueue() throws Exception {
    Started s = start("posix-mq", "--duration", "30", "--rate", "50");
    String name = PosixMqWorkload.queueName(s.demo().pid());
    Thread.sleep(300);

    Libc.kill(s.pid("consumer"), 9);
    assertThat(s.demo().waitFor(5, TimeUnit.SECONDS)).isTrue();

    assertThat(s.demo().exitValue()).isEqualTo(1);
    awaitGone(s.children(), 5000);
    assertThat(MessageQueues.posixExists(name)).isFalse();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void fifoChildrenDieWithAKilledDemo() throws Exception {
    Started s = start("fifo", "--duration", "30", "--rate", "20");
    assertThat(s.children()).hasSize(2);

    s.demo().destroyForcibly(); // SIGKILL: no hook runs; the children see EOF on stdin.
    assertThat(s.demo().waitFor(5, TimeUnit.SECONDS)).isTrue();

    awaitGone(s.children(), 5000);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void sigintStopsThePipeWorkload() throws Exception {
    Started s = start("pipe", "--duration", "30", "--rate", "100");
    assertThat(s.children()).hasSize(3);

    Libc.kill(s.demo().pid(), 2); // SIGINT, as Ctrl-C
    assertThat(s.demo().waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(s.demo().exitValue()).isEqualTo(130);
    awaitGone(s.children(), 5000);
  }

}
