package io.ipcscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DemoCommandTest {

  @Test
  void listNamesEveryWorkloadWithItsDescription() {
    Demo viaOption = Demo.run("--list");
    Demo viaCommand = Demo.run("list");

    assertThat(viaOption.exitCode()).isZero();
    assertThat(viaOption.out()).isEqualTo(viaCommand.out());
    assertThat(viaOption.out().lines().map(l -> l.split("\\s+")[0]).toList())
        .containsExactly("pipe", "fifo", "signal", "sysv-mq", "posix-mq", "file-lock", "unix-socket",
            "fd-passing", "tcp", "udp", "posix-shm", "sysv-shm", "mmap-file", "all");
    assertThat(viaOption.out()).contains("named pipe: a writer JVM", "System V message queue: a client JVM",
        "POSIX message queue: a producer JVM", "File locks: two JVMs take turns",
        "POSIX shared memory: a producer JVM", "System V shared memory: a producer JVM",
        "Memory-mapped file: a writer JVM");
  }

  @Test
  void helpShowsAnExample() {
    assertThat(Demo.run("--help").out()).contains("Examples:", "ipcscope demo pipe --messages");
    Demo pipeHelp = Demo.run("pipe", "--help");
    assertThat(pipeHelp.exitCode()).isZero();
    assertThat(pipeHelp.out()).contains("--messages=N", "--duration=SECONDS", "Example:", "ipcscope demo pipe");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "pipe --bogus",
      "pipe --size 0",
      "fifo --messages abc",
      "signal --messages 0",
      "sysv-mq --size -1",
      "posix-mq --rate x",
      "file-lock --messages 0",
      "pipe --rate -1",
      "fifo --duration -2",
      "pipe --size 999999999",
      "nosuchworkload",
      ""
  })
  void badInputIsOneLineAndExitTwo(String args) {
    Demo demo = Demo.run(args.isEmpty() ? new String[0] : args.split(" "));

    assertThat(demo.exitCode()).isEqualTo(2);
    assertThat(demo.err().lines().toList()).hasSize(1);
    assertThat(demo.err()).startsWith("demo").doesNotContain("Exception", "\tat ");
    assertThat(demo.out()).isEmpty();
  }

  @Test
  void quietPrintsNothing() {
    Demo demo = Demo.run("pipe", "--messages", "2", "--size", "8", "--quiet");
    assertThat(demo.exitCode()).isZero();
    assertThat(demo.err()).isEmpty();
  }

  @picocli.CommandLine.Command(name = "ipcscope", subcommands = DemoCommand.class)
  static final class Root {}

  @picocli.CommandLine.Command(name = "ipcscope")
  static final class BareRoot {}

  @Test
  void worksUnderARootCommandByAnnotationOrAddSubcommand() {
    var byAnnotation = new picocli.CommandLine(new Root());
    var byAdd = new picocli.CommandLine(new BareRoot()).addSubcommand(new DemoCommand());
    for (var root : java.util.List.of(byAnnotation, byAdd)) {
      var out = new java.io.StringWriter();
      root.setOut(new java.io.PrintWriter(out, true));
      assertThat(root.execute("demo", "--list")).isZero();
      assertThat(out.toString()).contains("pipe", "fifo", "signal");
      assertThat(root.getSubcommands().get("demo").getCommandSpec().subcommands()).as(root == byAdd ? "byAdd" : "byAnnotation")
          .containsKeys("pipe", "fifo", "signal", "sysv-mq", "posix-mq", "file-lock", "list");
      assertThat(root.execute("demo", "pipe", "--help")).isZero();
      assertThat(out.toString()).contains("Usage: ipcscope demo pipe");
    }
  }

  @Test
  void registryNamesAreUnique() {
    assertThat(Workloads.all()).extracting(Workload::name).doesNotHaveDuplicates();
    assertThat(Workloads.find("fifo")).isPresent();
  }
}
