package io.ipcscope.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ResolvedEvent;
import io.ipcscope.probes.event.IpcEvent;
import io.ipcscope.probes.event.Mechanism;
import io.ipcscope.probes.event.Operation;
import org.junit.jupiter.api.Test;

/** The output formats users and scripts read: exact text for each kind of event. */
class FormatterTest {

  private static IpcEvent event(Mechanism m, Operation op, long inode, long bytes, int peer, int result, int aux,
      int code, int status, long extra, String comm) {
    return new IpcEvent(123_456_789L, 42L, inode, bytes, extra, 100, 101, peer, 0, 0, result, 3, aux, code, m, op,
        status, comm, 1, "");
  }

  private static String json(ResolvedEvent r) {
    StringBuilder s = new StringBuilder();
    new JsonFormatter(new MonotonicClock(1_700_000_000_000_000_000L, 100_000_000L)).format(r, s);
    return s.toString();
  }

  @Test
  void aPipeWriteNamesBothEndsAndTheBytes() {
    IpcEvent e = event(Mechanism.PIPE, Operation.WRITE, 555, 4096, 0, 4096, 0, 0, 0, 0, "head");
    ResolvedEvent r = new ResolvedEvent(e, "head", 102, "cat", ChannelKey.pipe(555), "", false);
    assertThat(json(r)).isEqualTo("{\"ts_ns\":123456789,\"time_unix_ns\":1700000000023456789,\"pid\":100,\"tid\":101,\"comm\":\"head\",\"start_ns\":42,"
        + "\"mechanism\":\"pipe\",\"op\":\"write\",\"channel\":\"pipe:[555]\",\"peer_pid\":102,\"peer_comm\":\"cat\","
        + "\"bytes\":4096,\"fd\":3,\"syscall_nr\":1,\"result\":4096}");
  }

  @Test
  void aFailedSignalSendSaysWhyAndAQueuedValueIsKept() {
    IpcEvent failed = event(Mechanism.SIGNAL, Operation.SEND, 0, 0, 4194000, -3, 15, 0, 255, 0, "sh");
    assertThat(json(new ResolvedEvent(failed, "sh", 4194000, "", null, "", false)))
        .contains("\"signal\":\"SIGTERM\"", "\"signal_outcome\":\"failed\"", "\"result\":-3", "\"peer_pid\":4194000")
        .doesNotContain("\"channel\"", "\"bytes\"");
    IpcEvent queued = event(Mechanism.SIGNAL, Operation.SEND, 0, 0, 7, 0, 10, -1, 0, 0x49504353L, "java");
    assertThat(json(new ResolvedEvent(queued, "java", 7, "java", null, "", false)))
        .contains("\"signal\":\"SIGUSR1\"", "\"signal_code\":-1", "\"signal_outcome\":\"delivered\"",
            "\"signal_value\":1229996883");
  }

  @Test
  void aGuessedPeerIsMarkedInBothFormats() {
    IpcEvent e = event(Mechanism.FIFO, Operation.WRITE, 9, 5, 0, 5, 0, 0, 0, 0, "w");
    ResolvedEvent r = new ResolvedEvent(e, "w", 20, "r", ChannelKey.fifo((8 << 20) | 1, 9), "/tmp/f", true);
    assertThat(json(r)).contains("\"channel\":\"fifo:[8:1:9]\"", "\"path\":\"/tmp/f\"", "\"peer_guessed\":true");
    StringBuilder line = new StringBuilder();
    new TextFormatter(new MonotonicClock()).format(r, line);
    assertThat(line.substring(13)).isEqualTo(
        "w[100]                 fifo        write    /tmp/f                     r[20]?                 5          5");
  }

  @Test
  void aSleepingLockRequestNamesTheHolderAndTheLock() {
    // flc_type 1 (F_WRLCK), flc_flags 2 (FL_FLOCK), status 1: the request sleeps; bytes carries fl_end
    IpcEvent e = event(Mechanism.FILE_LOCK, Operation.WAIT, 77, Long.MAX_VALUE, 20, 0, 1, 2, 1, 0, "flock");
    ResolvedEvent r = new ResolvedEvent(e, "flock", 20, "flock", ChannelKey.lockedFile((254 << 20), 77), "", false);
    assertThat(json(r)).contains("\"channel\":\"file:[254:0:77]\"", "\"peer_pid\":20", "\"lock\":\"write\"",
        "\"lock_kind\":\"flock\"", "\"range_start\":0", "\"range_end\":\"eof\"", "\"sleeps\":true")
        .doesNotContain("\"bytes\"", "\"syscall_nr\"");
    StringBuilder line = new StringBuilder();
    new TextFormatter(new MonotonicClock()).format(r, line);
    assertThat(line.substring(13)).isEqualTo(
        "flock[100]             file_lock   wait     file:[254:0:77]            flock[20]              write      sleeps");
  }

  @Test
  void aMessageReceiveCarriesItsTypeOrPriority() {
    IpcEvent sysv = event(Mechanism.SYSV_MQ, Operation.RECEIVE, 5, 64, 0, 64, 0, 1, 0, 2, "client");
    assertThat(json(new ResolvedEvent(sysv, "client", 30, "server", ChannelKey.sysvQueue((int) 4026531839L, 5), "", false)))
        .contains("\"channel\":\"sysv_mq:[5]\"", "\"bytes\":64", "\"msg_type\":2", "\"msg_type_wanted\":1",
            "\"peer_pid\":30", "\"syscall_nr\":1");
    IpcEvent posix = event(Mechanism.POSIX_MQ, Operation.SEND, 9, 3, 0, 0, 0, 0, 0, 9, "producer");
    assertThat(json(new ResolvedEvent(posix, "producer", 31, "consumer", ChannelKey.posixQueue(21, 9), "/q", false)))
        .contains("\"channel\":\"posix_mq:[9]\"", "\"path\":\"/q\"", "\"bytes\":3", "\"priority\":9", "\"fd\":3");
  }

  @Test
  void aReadCarriesItsSyscallNumberZeroAndSigchldItsChildStatus() {
    IpcEvent read = new IpcEvent(1, 2, 555, 10, 0, 100, 100, 0, 0, 0, 10, 0, -1, 0, Mechanism.PIPE, Operation.READ, 0,
        "cat", 0, "");
    assertThat(json(new ResolvedEvent(read, "cat", 0, "", ChannelKey.pipe(555), "", false))).contains("\"syscall_nr\":0");
    IpcEvent sigchld = event(Mechanism.SIGNAL, Operation.GENERATE, 0, 0, 1, 0, 17, 2, 0, 10, "sh");
    assertThat(json(new ResolvedEvent(sigchld, "sh", 1, "init", null, "", false)))
        .contains("\"child_status\":10").doesNotContain("signal_value", "syscall_nr");
  }

  @Test
  void exitStatusesReadLikeTheShellTellsThem() {
    assertThat(Describe.exitStatus(7 << 8)).isEqualTo("exit 7");
    assertThat(Describe.exitStatus(10)).isEqualTo("killed SIGUSR1");
    assertThat(Describe.exitStatus(0x80 | 11)).isEqualTo("killed SIGSEGV (core)");
  }

  @Test
  void lostEventsAreALineOfTheirOwnNeverSilent() {
    StringBuilder s = new StringBuilder();
    new JsonFormatter(new MonotonicClock()).lost(17, s);
    assertThat(s).hasToString("{\"mechanism\":\"ipcscope\",\"op\":\"lost\",\"count\":17}");
  }

  @Test
  void controlCharactersInNamesAreEscaped() {
    IpcEvent e = event(Mechanism.PROCESS, Operation.EXEC, 0, 0, 0, 0, 0, 0, 0, 0, "a\"b");
    String out = json(new ResolvedEvent(e, "a\"b", 0, "", null, "/tmp/x\ny", false));
    assertThat(out).contains("\"comm\":\"a\\\"b\"", "\"path\":\"/tmp/x\\ny\"");
  }
}
