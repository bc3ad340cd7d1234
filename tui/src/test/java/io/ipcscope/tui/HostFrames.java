package io.ipcscope.tui;

import io.ipcscope.collector.model.ChannelKey;
import io.ipcscope.collector.model.ProcessKey;
import io.ipcscope.collector.otel.CollectorHealth;
import io.ipcscope.collector.talk.Edge;
import io.ipcscope.collector.talk.EdgeKey;
import io.ipcscope.collector.talk.ProcessNode;
import io.ipcscope.collector.talk.TalkGraph;
import io.ipcscope.probes.event.Mechanism;
import java.util.ArrayList;
import java.util.List;

/**
 * A web host of 25 processes for the Map view: nginx workers hand requests to php-fpm workers over Unix sockets,
 * php-fpm queries postgres backends and redis over loopback TCP and mails through a POSIX queue; postgres shares
 * memory (attached at start) and semaphores; everyone logs to journald through pipes; cron's logrotate and backup
 * share a lock and signalled nginx long ago. Two frames a second apart, so every active edge has its rate.
 */
final class HostFrames {

  private static final long SECOND = Frames.SECOND;
  private static final List<ProcessNode> NODES = new ArrayList<>();
  private static final List<Object[]> EDGES = new ArrayList<>();

  static {
    node(1, "systemd");
    node(100, "nginx");
    for (int i = 101; i <= 104; i++) {
      node(i, "nginx");
    }
    node(200, "php-fpm");
    for (int i = 201; i <= 204; i++) {
      node(i, "php-fpm");
    }
    node(300, "postgres");
    for (int i = 301; i <= 304; i++) {
      node(i, "postgres");
    }
    node(305, "postgres");
    node(400, "redis-server");
    node(500, "systemd-journal");
    node(600, "cron");
    node(601, "logrotate");
    node(602, "backup.sh");
    node(700, "sshd");
    node(701, "bash");
    node(800, "mailq");
    long[][] web = {{101, 201, 40_000, 400_000}, {102, 202, 20_000, 150_000}, {103, 203, 4_000, 30_000},
        {104, 204, 300, 2_000}};
    for (long[] w : web) {
      link((int) w[0], (int) w[1], Mechanism.UNIX_SOCKET, w[0], 10, w[2]);
      link((int) w[1], (int) w[0], Mechanism.UNIX_SOCKET, w[1], 10, w[3]);
      link((int) w[1], (int) w[1] + 100, Mechanism.TCP, w[1] + 1000, 20, w[2] / 2);
      link((int) w[1] + 100, (int) w[1], Mechanism.TCP, w[1] + 2000, 20, w[3] * 5);
      link((int) w[1], 200, Mechanism.PIPE, w[1] + 3000, 1, 60);
      idle(100, (int) w[0], Mechanism.SIGNAL, 0);
    }
    link(201, 400, Mechanism.TCP, 5001, 50, 5_000);
    link(400, 201, Mechanism.TCP, 5002, 50, 50_000);
    link(202, 400, Mechanism.TCP, 5003, 20, 2_000);
    link(400, 202, Mechanism.TCP, 5004, 20, 20_000);
    link(203, 800, Mechanism.POSIX_MQ, 6001, 3, 6_000);
    for (int i = 301; i <= 305; i++) {
      EDGES.add(new Object[] {300, i, Mechanism.SYSV_SHM, 7001L, 0L, 0L, false, false});
    }
    shared(301, 302, Mechanism.SEM, 7002, 40);
    shared(301, 303, Mechanism.SEM, 7002, 12);
    shared(302, 304, Mechanism.SEM, 7002, 1);
    link(300, 305, Mechanism.SIGNAL, 0, 1, 0);
    link(100, 500, Mechanism.PIPE, 8001, 5, 1_000);
    link(100, 500, Mechanism.UNIX_SOCKET, 8002, 2, 400);
    link(200, 500, Mechanism.PIPE, 8003, 2, 500);
    link(300, 500, Mechanism.PIPE, 8004, 8, 2_000);
    link(1, 500, Mechanism.UNIX_SOCKET, 8005, 1, 100);
    link(700, 701, Mechanism.PIPE, 9001, 3, 10);
    link(701, 700, Mechanism.PIPE, 9002, 30, 2_000);
    idle(601, 100, Mechanism.SIGNAL, 0);
    idle(601, 600, Mechanism.SIGNAL, 0);
    idle(602, 600, Mechanism.SIGNAL, 0);
    EDGES.add(new Object[] {601, 602, Mechanism.FILE_LOCK, 9100L, 0L, 0L, false, false});
  }

  private HostFrames() {}

  private static void node(int pid, String comm) {
    NODES.add(new ProcessNode(key(pid), comm, "/usr/sbin/" + comm, pid == 1 ? 0 : 1));
  }

  private static ProcessKey key(int pid) {
    return new ProcessKey(pid, 1000 + pid);
  }

  /** A directed edge carrying {@code messages} and {@code bytes} every second. */
  private static void link(int from, int to, Mechanism m, long channel, long messages, long bytes) {
    EDGES.add(new Object[] {from, to, m, channel, messages, bytes, true, true});
  }

  /** An undirected edge (ends in pid order) with {@code operations} a second. */
  private static void shared(int a, int b, Mechanism m, long channel, long operations) {
    EDGES.add(new Object[] {a, b, m, channel, operations, 0L, false, true});
  }

  /** A directed edge last active long before both frames. */
  private static void idle(int from, int to, Mechanism m, long channel) {
    EDGES.add(new Object[] {from, to, m, channel, 0L, 0L, true, false});
  }

  /** The host after {@code seconds} of steady traffic; idle edges did their one operation at second 1. */
  static TopFrame at(long seconds) {
    List<Edge> edges = new ArrayList<>();
    for (Object[] e : EDGES) {
      Mechanism m = (Mechanism) e[2];
      long id = (Long) e[3];
      ChannelKey channel = m == Mechanism.SIGNAL ? null : new ChannelKey(m, 0, id);
      EdgeKey key = new EdgeKey(key((Integer) e[0]), key((Integer) e[1]), m, channel);
      boolean active = (Boolean) e[7];
      long messages = active ? (Long) e[4] * seconds : 1;
      long bytes = active ? (Long) e[5] * seconds : 0;
      edges.add(new Edge(key, "", (Boolean) e[6], messages, bytes, 0, SECOND, active ? seconds * SECOND : SECOND,
          0, 0, 0, 0));
    }
    return new TopFrame(new TalkGraph.Snapshot(List.copyOf(NODES), edges), CollectorHealth.EMPTY, seconds * SECOND,
        0);
  }

  /** A model that has seen the host at seconds 19 and 20. */
  static TopModel model() {
    TopModel model = new TopModel();
    model.update(at(19));
    model.update(at(20));
    return model;
  }
}
