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
        .containsExactly("pipe", "fifo", "signal");
    assertThat(viaOption.out()).contains("named pipe: a writer JVM");
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

  @Test
  void registryNamesAreUnique() {
    assertThat(Workloads.all()).extracting(Workload::name).doesNotHaveDuplicates();
    assertThat(Workloads.find("fifo")).isPresent();
  }
}
