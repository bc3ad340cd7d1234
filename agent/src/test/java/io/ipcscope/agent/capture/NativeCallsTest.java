package io.ipcscope.agent.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NativeCallsTest {

  private final OpQueue queue = new OpQueue(16);

  @Test
  void onlyLibcIpcFunctionsAreOfInterestAndOnlyWhenJnaIsOn() {
    NativeCalls on = new NativeCalls(true, queue, new TraceContexts());
    NativeCalls off = new NativeCalls(false, queue, new TraceContexts());

    assertThat(on.starting("mq_send")).isPositive();
    assertThat(on.starting("semop")).isPositive();
    assertThat(on.starting("getpid")).isZero();
    assertThat(on.starting("mq_close")).isZero();
    assertThat(on.starting(null)).isZero();
    assertThat(off.starting("mq_send")).isZero();
  }

  @Test
  void posixNamesLoseTheirLeadingSlashesAsGlibcDoes() {
    assertThat(NativeCalls.posixName("/orders")).isEqualTo("orders");
    assertThat(NativeCalls.posixName("//orders")).isEqualTo("orders");
    assertThat(NativeCalls.posixName("orders")).isEqualTo("orders");
    assertThat(NativeCalls.posixName(42)).isEmpty();
  }

  @Test
  void systemVKeysAndResultsAreWrittenAsIpcsAndLibcShowThem() {
    assertThat(NativeCalls.key(0xabcd)).isEqualTo("0x0000abcd");
    assertThat(NativeCalls.key(-1)).isEqualTo("0xffffffff");
    assertThat(NativeCalls.result(7L)).isEqualTo("7");
    assertThat(NativeCalls.result(null)).isEqualTo("0x0");
    assertThat(NativeCalls.address(new Object() {
      @Override
      public String toString() {
        return "native@0x7f00dead";
      }
    })).isEqualTo("0x7f00dead");
  }

  @Test
  void aFailedSendMovesNoBytesAndAThrownErrorIsKept() throws InterruptedException {
    NativeCalls calls = new NativeCalls(true, queue, new TraceContexts());

    calls.called("msgsnd", new Object[] {12, null, 7L, 0}, -1, null, 1);
    calls.called("msgsnd", new Object[] {12, null, 7L, 0}, null, new RuntimeException("[11] Resource unavailable"), 1);
    calls.called("msgget", new Object[] {0x1234, 0}, -1, null, 1);

    List<IpcOp> ops = new ArrayList<>();
    queue.drainTo(ops, 16, 1000);
    assertThat(ops).extracting(o -> o.operation, o -> o.channel, o -> o.bytes, o -> o.attribute("ipc.result"),
            o -> o.attribute("ipc.error"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("msgsnd", "sysv_mq:[12]", -1L, "-1", null),
            org.assertj.core.groups.Tuple.tuple("msgsnd", "sysv_mq:[12]", -1L, "-1", "[11] Resource unavailable"),
            org.assertj.core.groups.Tuple.tuple("msgget", "", -1L, "-1", null));
    assertThat(ops.get(2).attribute("ipc.sysv.key")).isEqualTo("0x00001234");
  }
}
