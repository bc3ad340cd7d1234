package io.ipcscope.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PingPongBenchTest {

  @Test
  void ratiosPairEachRunWithTheUntracedRunOfItsRound() {
    // round 2 ran on a machine twice as slow: each traced run is still 1.1x its own round
    List<Double> untraced = List.of(100.0, 200.0, 100.0);
    List<Double> traced = List.of(110.0, 220.0, 110.0);
    assertThat(PingPongBench.pairedRatio(traced, untraced)).isEqualTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(PingPongBench.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(PingPongBench.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
  }

  @Test
  void transportsAreNamedLikeMechanisms() {
    PingPongBench.TransportConverter converter = new PingPongBench.TransportConverter();
    assertThat(converter.convert("sysv_mq")).isEqualTo(Transport.Kind.SYSV_MQ);
    assertThat(converter.convert("POSIX_MQ")).isEqualTo(Transport.Kind.POSIX_MQ);
    assertThat(converter.convert("unix_stream")).isEqualTo(Transport.Kind.UNIX_STREAM);
    assertThat(converter.convert("unix_dgram")).isEqualTo(Transport.Kind.UNIX_DGRAM);
    assertThat(converter.convert(" TCP")).isEqualTo(Transport.Kind.TCP);
    assertThat(converter.convert("shm_sem")).isEqualTo(Transport.Kind.SHM_SEM);
    assertThatThrownBy(() -> converter.convert("udp")).hasMessage("unknown transport 'udp': valid ones are "
        + "pipe, sysv_mq, posix_mq, unix_stream, unix_dgram, tcp, shm_sem");
  }

  @Test
  void eachTransportNamesTheTwoCallsAnotherToolMustCount() {
    assertThat(Transport.Kind.SYSV_MQ.calls()).containsExactly("msgsnd", "msgrcv");
    assertThat(Transport.Kind.UNIX_STREAM.calls()).containsExactly("write", "read");
    assertThat(Transport.Kind.UNIX_DGRAM.calls()).containsExactly("sendto", "recvfrom");
    assertThat(Transport.Kind.TCP.calls()).containsExactly("write", "read");
    assertThat(Transport.Kind.SHM_SEM.calls()).containsExactly("sem_post", "sem_wait");
    assertThat(Arrays.stream(Transport.Kind.values()).filter(Transport.Kind::inLibc))
        .containsExactly(Transport.Kind.SHM_SEM);
    assertThat(Transport.Kind.UNIX_STREAM.describe()).isEqualTo("over a Unix stream socket");
    assertThat(Transport.Kind.UNIX_DGRAM.describe()).isEqualTo("over two Unix datagram sockets (abstract names)");
    assertThat(Transport.Kind.TCP.describe()).isEqualTo("over loopback TCP (TCP_NODELAY)");
    assertThat(Transport.Kind.SHM_SEM.describe())
        .isEqualTo("through POSIX shared memory, handed over by two process-shared POSIX semaphores");
  }

  @Test
  void bpftraceCountsSyscallExitsOrLibcEntries() {
    assertThat(ExternalTracer.bpftraceProbes(Transport.Kind.UNIX_DGRAM, "/lib/libc.so.6"))
        .isEqualTo("tracepoint:syscalls:sys_exit_sendto,tracepoint:syscalls:sys_exit_recvfrom");
    assertThat(ExternalTracer.bpftraceProbes(Transport.Kind.SHM_SEM, "/lib/libc.so.6"))
        .isEqualTo("uprobe:/lib/libc.so.6:sem_post,uprobe:/lib/libc.so.6:sem_wait");
    assertThat(ExternalTracer.libcOf(ProcessHandle.current().pid())).endsWith("libc.so.6");
    assertThat(ExternalTracer.notApplicable(Transport.Kind.TCP)).isNull();
    assertThat(ExternalTracer.notApplicable(Transport.Kind.SHM_SEM)).isEqualTo("perf-trace, strace: not run over "
        + "shm_sem: its handoff is libc sem_post/sem_wait, which has no syscall of its own to filter on");
  }

  /** The real driver and pong over every transport, untraced: needs no root, only the built class path. */
  @ParameterizedTest
  @EnumSource(Transport.Kind.class)
  @Timeout(60)
  void everyTransportDoesRoundTripsAndLeavesNothingBehind(Transport.Kind kind) throws Exception {
    Process driver = new ProcessBuilder(PingPongDriver.driverCommand(-1, kind))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (PrintStream control = new PrintStream(driver.getOutputStream(), true, StandardCharsets.US_ASCII);
        BufferedReader answers =
            new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.US_ASCII))) {
      String ready = answers.readLine();
      assertThat(ready).startsWith("ready ");
      long pongPid = Long.parseLong(ready.substring(6).trim());
      control.println(200);
      assertThat(Long.parseLong(answers.readLine().trim())).isPositive();
      driver.destroy(); // SIGTERM, as the bench ends it
      assertThat(driver.waitFor(20, TimeUnit.SECONDS)).isTrue();
      ProcessHandle pong = ProcessHandle.of(pongPid).orElse(null);
      if (pong != null) {
        assertThat(pong.onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
      }
    } finally {
      driver.destroyForcibly();
    }
    String name = "ipcscope-bench-" + driver.pid();
    assertThat(Path.of("/dev/shm", name)).doesNotExist();
    assertThat(Path.of("/dev/mqueue", name + "-ping")).doesNotExist();
    try (var tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertThat(tmp.map(p -> p.getFileName().toString())).noneMatch(f -> f.startsWith(name + "-"));
    }
    assertThat(Files.readString(Path.of("/proc/net/unix"))).doesNotContain("@" + name + "-");
  }
}
