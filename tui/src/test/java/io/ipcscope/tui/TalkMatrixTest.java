package io.ipcscope.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.probes.event.Mechanism;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TalkMatrixTest {

  private final TalkMatrix host = HostFrames.model().talkMatrix();

  @Test
  void servicesStayTogetherBusiestFirstAndEachProcessFollowsItsStrongestTie() {
    assertThat(host.nodes()).extracting(TalkMatrix.Node::label).containsExactly(
        // postgres and php-fpm move bytes in the same decade; postgres also has semaphores and a signal
        "postgres[301]", "postgres[302]", "postgres[303]", "postgres[304]", "postgres[300]", "postgres[305]",
        "php-fpm[201]", "php-fpm[200]", "php-fpm[202]", "php-fpm[203]", "php-fpm[204]",
        "nginx[101]", "nginx[100]", "nginx[102]", "nginx[103]", "nginx[104]",
        "redis-server[400]", "mailq[800]", "systemd-journal[500]", "systemd[1]",
        // tied to nginx by an old signal, so before sshd, which is busier but tied to nothing placed
        "logrotate[601]", "cron[600]", "backup.sh[602]", "sshd[700]", "bash[701]");
  }

  @Test
  void eachEdgeIsShadedByDecadesBelowTheBusiestEdgeOfItsUnit() {
    // bytes/s against postgres[301] → php-fpm[201] (2 MB/s): 20 KB/s is a hundredth, 5 KB/s a four-hundredth
    assertThat(cell("php-fpm[201]", "postgres[301]")).isEqualTo(new TalkMatrix.Cell(Map.of(Mechanism.TCP, 3), false));
    assertThat(cell("postgres[301]", "php-fpm[201]")).isEqualTo(new TalkMatrix.Cell(Map.of(Mechanism.TCP, 4), false));
    assertThat(cell("php-fpm[201]", "redis-server[400]").level()).isEqualTo(2);
    assertThat(cell("php-fpm[201]", "php-fpm[200]").level()).isEqualTo(1);
    // messages/s against the 40 semaphore operations a second between postgres[301] and postgres[302]
    assertThat(cell("postgres[302]", "postgres[304]").level()).isEqualTo(3);
  }

  @Test
  void undirectedEdgesFillBothCellsAndAPairOverSeveralMechanismsListsTheBusiestFirst() {
    assertThat(cell("postgres[303]", "postgres[301]")).isEqualTo(cell("postgres[301]", "postgres[303]"))
        .isEqualTo(new TalkMatrix.Cell(Map.of(Mechanism.SEM, 4), false));
    TalkMatrix.Cell signalAndShm = cell("postgres[300]", "postgres[305]");
    assertThat(signalAndShm.mechanisms()).containsExactly(Mechanism.SIGNAL, Mechanism.SYSV_SHM);
    assertThat(signalAndShm.level()).isEqualTo(3);
    assertThat(signalAndShm.faded()).as("the signal is live").isFalse();
    assertThat(cell("postgres[305]", "postgres[300]"))
        .isEqualTo(new TalkMatrix.Cell(Map.of(Mechanism.SYSV_SHM, 0), true));
    assertThat(cell("postgres[305]", "postgres[301]")).as("no edge").isNull();
    assertThat(host.mechanisms()).containsExactly(Mechanism.PIPE, Mechanism.SIGNAL, Mechanism.POSIX_MQ,
        Mechanism.SYSV_SHM, Mechanism.SEM, Mechanism.UNIX_SOCKET, Mechanism.TCP, Mechanism.FILE_LOCK);
  }

  @Test
  void levelsAreDecadesBelowTheBusiestAndZeroWhenIdle() {
    assertThat(List.of(TalkMatrix.level(0, 10), TalkMatrix.level(5, 0), TalkMatrix.level(10, 10),
        TalkMatrix.level(1, 10), TalkMatrix.level(0.99, 10), TalkMatrix.level(0.1, 10), TalkMatrix.level(0.01, 10),
        TalkMatrix.level(0.0099, 10))).containsExactly(0, 0, 4, 4, 3, 3, 2, 1);
  }

  @Test
  void whenEveryProcessIsJavaAChainStaysAChainAndTheParentEveryoneSignalledComesAfterIt() {
    // 11 → 12 → 19 by pipes, 14 → 15 by a socket, and each child's SIGCHLD to parent 10 long ago. By activity
    // alone the order would be 11, 12, 14, 15, 19, 10.
    List<TalkRow> rows = List.of(row(11, 12, Mechanism.PIPE, 5000), row(12, 19, Mechanism.PIPE, 100),
        row(14, 15, Mechanism.UNIX_SOCKET, 950), row(11, 10, Mechanism.SIGNAL, 0), row(19, 10, Mechanism.SIGNAL, 0),
        row(15, 10, Mechanism.SIGNAL, 0));
    TalkMatrix m = TalkMatrix.of(rows, Set.of(), k -> "java");
    assertThat(m.nodes()).extracting(n -> n.key().pid()).containsExactly(11, 12, 19, 10, 15, 14);
  }

  @Test
  void clientsOfOneCommandThatNeverTalkToEachOtherFollowTheirServerInsteadOfFormingABlock() {
    // tmux clients 51 to 55 each talk to the server 70 only; grouped by command they would come first, by pid,
    // and push the server below them
    List<TalkRow> rows = new java.util.ArrayList<>(List.of(row(60, 61, Mechanism.PIPE, 5000)));
    for (int client = 51; client <= 55; client++) {
      rows.add(row(client, 70, Mechanism.UNIX_SOCKET, 1000));
      rows.add(row(70, client, Mechanism.UNIX_SOCKET, 1000));
    }
    TalkMatrix m = TalkMatrix.of(rows, Set.of(), k -> k.pid() == 70 ? "tmux: server" : k.pid() < 60 ? "tmux: client"
        : "java");
    assertThat(m.nodes()).extracting(n -> n.key().pid()).containsExactly(70, 51, 52, 53, 54, 55, 60, 61);
  }

  @Test
  void rateJitterDoesNotReorderTheMapFromFrameToFrame() {
    // 31 → 32 carries 1 KB/s like 21 → 22, a little more or less in each frame, or even briefly ten times more
    TalkRow steady = pipe(21, 22, List.of(1000.0, 1000.0, 1000.0, 1000.0));
    for (List<Double> jitter : List.of(List.of(1000.0, 1000.0, 1000.0, 1100.0), List.of(900.0, 1000.0, 1000.0, 1200.0),
        List.of(1000.0, 1000.0, 1000.0, 12_000.0))) {
      assertThat(TalkMatrix.of(List.of(pipe(31, 32, jitter), steady), Set.of(), k -> "java").nodes())
          .extracting(n -> n.key().pid()).as("history %s", jitter).containsExactly(21, 22, 31, 32);
    }
    assertThat(TalkMatrix.of(List.of(steady, pipe(31, 32, List.of(12_000.0, 15_000.0))), Set.of(), k -> "java")
        .nodes()).extracting(n -> n.key().pid()).as("ten times busier comes first").containsExactly(31, 32, 21, 22);
  }

  @Test
  void aProcessTalkingToItselfIsOnTheDiagonalAndCountedOnce() {
    TalkMatrix m = TalkMatrix.of(List.of(row(7, 7, Mechanism.UNIX_SOCKET, 100)), Set.of(), k -> "java");
    assertThat(m.nodes()).containsExactly(new TalkMatrix.Node(new ProcessKey(7, 1), "java[7]"));
    assertThat(m.cell(0, 0)).isEqualTo(new TalkMatrix.Cell(Map.of(Mechanism.UNIX_SOCKET, 4), false));
  }

  private TalkMatrix.Cell cell(String from, String to) {
    List<String> labels = host.nodes().stream().map(TalkMatrix.Node::label).toList();
    return host.cell(labels.indexOf(from), labels.indexOf(to));
  }

  /** A pipe whose rate in the last frame is the last of {@code history}, with 50 KB moved in all. */
  private static TalkRow pipe(int from, int to, List<Double> history) {
    EdgeKey key = new EdgeKey(new ProcessKey(from, 1), new ProcessKey(to, 1), Mechanism.PIPE, ChannelKey.pipe(from));
    return new TalkRow(key, "java[" + from + "]", "java[" + to + "]", Mechanism.PIPE, "", 10,
        history.get(history.size() - 1), 500, 50_000, 0, history, 0, false, false);
  }

  /** An edge with {@code bytesPerSec} (one message a second), or an idle signal when 0. */
  private static TalkRow row(int from, int to, Mechanism m, double bytesPerSec) {
    ChannelKey channel = m == Mechanism.SIGNAL ? null : new ChannelKey(m, 0, from * 100L + to);
    boolean idle = bytesPerSec == 0;
    return new TalkRow(new EdgeKey(new ProcessKey(from, 1), new ProcessKey(to, 1), m, channel), "java[" + from + "]",
        "java[" + to + "]", m, "", idle ? 0 : 1, bytesPerSec, 1, idle ? 0 : (long) bytesPerSec * 10, 0,
        List.of(idle ? 0.0 : bytesPerSec),
        idle ? 60 * Frames.SECOND : 0, false, idle);
  }
}
