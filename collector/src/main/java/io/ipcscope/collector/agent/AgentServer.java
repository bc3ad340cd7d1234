package io.ipcscope.collector.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.ipcscope.collector.agent.AgentLines.BadLine;
import io.ipcscope.collector.live.SocketFile;
import io.ipcscope.collector.proc.PidNamespaceView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The collector's agent socket (docs/AGENT.md): JVMs with the ipcscope agent connect, say hello for their own pid,
 * and send their operations and marks, which go to the {@link AgentInbox} for the collector's loop to join with the
 * kernel's events.
 *
 * <p>Any local user's JVM may connect (the socket is 0666, its directory traversable), so nothing a peer sends is
 * trusted: its pid is the one SO_PEERCRED gives, and a hello claiming another is answered with an error and closed;
 * a line longer than {@link Options#maxLineBytes} closes its connection; garbage, unknown types and incomplete
 * operations are skipped and counted. Each such event is one notice line (at most {@value #NOTICES_PER_WINDOW} per
 * 10 s), never a stack trace, and touches no other connection.
 *
 * <p>One thread serves every connection, non-blocking, with poll(2); connections beyond {@link Options#maxAgents}
 * are told so and closed. Only hellos are answered ({@code welcome} or {@code error}): a slow agent never makes the
 * thread wait.
 */
public final class AgentServer implements AutoCloseable, LongPredicate {

  /**
   * @param maxAgents connections served at once
   * @param maxLineBytes the longest line taken; a longer one closes its connection
   * @param helloTimeoutNanos how long a connection may stay without its hello
   * @param version the collector's, for the welcome
   * @param notices where one-line notices go (a refused claim, a bad line)
   */
  public record Options(int maxAgents, int maxLineBytes, long helloTimeoutNanos, String version,
      Consumer<String> notices) {

    public Options {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(notices, "notices");
      if (maxAgents < 1 || maxLineBytes < 256 || helloTimeoutNanos <= 0) {
        throw new IllegalArgumentException("maxAgents >= 1, maxLineBytes >= 256, helloTimeoutNanos > 0");
      }
    }

    public static Options defaults(String version, Consumer<String> notices) {
      return new Options(1024, 64 * 1024, 5_000_000_000L, version, notices);
    }
  }

  /** The socket's own directory, the one whose mode the server may widen to let other users' JVMs reach it. */
  private static final String OWN_DIRECTORY_NAME = "ipcscope";
  static final int NOTICES_PER_WINDOW = 20;
  private static final long NOTICE_WINDOW_NANOS = 10_000_000_000L;
  private static final long POLL_MILLIS = 1_000;
  /** Closed connections stay "ours" this long: their last kernel records reach the collector late. */
  private static final long OWN_SOCKET_GRACE_NANOS = 30_000_000_000L;
  private static final int READS_PER_ROUND = 16;
  private static final Path PROC = Path.of("/proc");

  private final Path socket;
  private final AgentInbox inbox;
  private final Options options;
  private final UnixSockets sockets;
  private final AgentLines lines = new AgentLines();
  private final int listenFd;
  private final int wakeFd;
  private final Thread thread;
  private final List<Connection> connections = new ArrayList<>();
  /** Our sockets' inodes (the listener's and each connection's) and when they closed (0: open). */
  private final Map<Long, Long> ownInodes = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private long noticeWindowStart;
  private int noticesInWindow;

  private AgentServer(Path socket, AgentInbox inbox, Options options, UnixSockets sockets, int listenFd, int wakeFd) {
    this.socket = socket;
    this.inbox = inbox;
    this.options = options;
    this.sockets = sockets;
    this.listenFd = listenFd;
    this.wakeFd = wakeFd;
    this.thread = new Thread(this::serve, "ipcscope-agent-socket");
    this.thread.setDaemon(true);
    long inode = inodeOf(listenFd);
    if (inode != 0) {
      ownInodes.put(inode, 0L);
    }
  }

  /**
   * Binds {@code socket} (0666; its directory created 0711 when missing) and starts serving. A stale socket of a
   * collector that died is replaced; a live one is an {@link IOException} ("another collector answers on ...").
   */
  public static AgentServer start(Path socket, AgentInbox inbox, Options options) throws IOException {
    Path path = socket.toAbsolutePath();
    prepareDirectory(path.getParent(), options.notices());
    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      SocketFile.removeStale(path);
    }
    UnixSockets sockets = new UnixSockets(options.maxLineBytes());
    int listen = -1;
    int wake = -1;
    try {
      listen = sockets.listen(path, 128);
      // any user's JVM may connect: what it may say is checked per connection (SO_PEERCRED)
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
      wake = sockets.wakeup();
    } catch (IOException | RuntimeException e) {
      UnixSockets.closeQuietly(listen);
      UnixSockets.closeQuietly(wake);
      sockets.close();
      Files.deleteIfExists(path);
      throw e;
    }
    AgentServer server = new AgentServer(path, inbox, options, sockets, listen, wake);
    server.thread.start();
    return server;
  }

  public Path socket() {
    return socket;
  }

  /**
   * Whether {@code inode} is one of this server's Unix sockets (or was, within the last 30 s): the agents' traffic
   * to the collector is the collector's own, and would otherwise be traced into spans of every JVM every 50 ms.
   */
  @Override
  public boolean test(long inode) {
    return inode != 0 && ownInodes.containsKey(inode);
  }

  /** Connections open now (with or without their hello). */
  public synchronized int connections() {
    return connections.size();
  }

  private void serve() {
    int[] fds = new int[16];
    int[] ready = new int[16];
    try {
      while (!closed) {
        int n;
        synchronized (this) {
          n = 2 + connections.size();
          if (fds.length < n) {
            fds = new int[n * 2];
            ready = new int[n * 2];
          }
          fds[0] = wakeFd;
          fds[1] = listenFd;
          for (int i = 0; i < connections.size(); i++) {
            fds[2 + i] = connections.get(i).fd;
          }
        }
        sockets.poll(fds, n, ready, (int) POLL_MILLIS);
        if (closed) {
          break;
        }
        if (ready[0] != 0) {
          sockets.clearWakeup(wakeFd);
        }
        List<Connection> served;
        synchronized (this) {
          served = List.copyOf(connections);
        }
        for (int i = 0; i < served.size(); i++) {
          if (ready[2 + i] != 0) {
            read(served.get(i));
          }
        }
        if (ready[1] != 0) {
          acceptAll();
        }
        housekeeping(System.nanoTime());
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        notice("agent socket " + socket + " stopped: " + e.getMessage());
      }
    } finally {
      List<Connection> left;
      synchronized (this) {
        left = List.copyOf(connections);
      }
      for (Connection c : left) {
        drop(c);
      }
    }
  }

  private void acceptAll() {
    int fd;
    while (true) {
      try {
        fd = sockets.accept(listenFd);
      } catch (IOException e) {
        notice("agent socket: " + e.getMessage()); // out of descriptors, say: do not spin on the ready listener
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
        return;
      }
      if (fd < 0) {
        return;
      }
      Connection c = new Connection(fd, System.nanoTime(), options.maxLineBytes());
      long inode = inodeOf(fd);
      if (inode != 0) {
        ownInodes.put(inode, 0L);
      }
      c.inode = inode;
      try {
        c.peer = sockets.peer(fd).pid();
      } catch (IOException e) {
        notice("agent socket: " + e.getMessage() + "; connection closed");
        inbox.reject();
        drop(c);
        continue;
      }
      synchronized (this) {
        if (connections.size() >= options.maxAgents()) {
          answer(c, error("too many agents (" + options.maxAgents() + "): try again later"));
          inbox.reject();
          notice("agent socket: pid " + c.peer + " refused: " + options.maxAgents() + " agents connected already");
          release(c);
          continue;
        }
        connections.add(c);
      }
    }
  }

  /** Takes what the connection has for us, line by line; at end of stream or on a fatal line, closes it. */
  private void read(Connection c) {
    try {
      for (int round = 0; round < READS_PER_ROUND && !c.closed; round++) {
        int got = sockets.read(c.fd, c.buffer, c.filled, c.buffer.length - c.filled);
        if (got < 0) {
          return; // nothing more for now
        }
        if (got == 0) {
          drop(c);
          return;
        }
        int scanFrom = c.filled;
        c.filled += got;
        int lineStart = 0;
        for (int i = scanFrom; i < c.filled && !c.closed; i++) {
          if (c.buffer[i] == '\n') {
            line(c, lineStart, i);
            lineStart = i + 1;
          }
        }
        if (c.closed) {
          return;
        }
        if (lineStart > 0) {
          System.arraycopy(c.buffer, lineStart, c.buffer, 0, c.filled - lineStart);
          c.filled -= lineStart;
        }
        if (c.filled == c.buffer.length && c.buffer.length < options.maxLineBytes()) {
          c.buffer = java.util.Arrays.copyOf(c.buffer, Math.min(c.buffer.length * 4, options.maxLineBytes()));
        } else if (c.filled == c.buffer.length) {
          inbox.badLine();
          refuse(c, "a line longer than " + options.maxLineBytes() + " bytes");
          return;
        }
      }
    } catch (IOException e) {
      notice("agent socket: " + who(c) + ": " + e.getMessage() + "; connection closed");
      drop(c);
    }
  }

  private void line(Connection c, int from, int to) {
    int end = to > from && c.buffer[to - 1] == '\r' ? to - 1 : to;
    if (end == from) {
      return;
    }
    AgentLines.Line line;
    try {
      line = lines.parse(c.buffer, from, end - from);
    } catch (BadLine e) {
      bad(c, e.getMessage());
      return;
    }
    JsonNode n = line.node();
    try {
      if (c.pid == 0) {
        greet(c, line);
        return;
      }
      switch (line.type()) {
        case "op" -> inbox.offer(new AgentMessage.Op(ours(c, lines.op(c.pid, n))));
        case "summary" -> {
          if (c.protocol < 2) {
            bad(c, "a summary on a protocol " + c.protocol + " connection");
          } else {
            AgentMessage.Summary summary = lines.summary(c.pid, n);
            inbox.offer(new AgentMessage.Summary(ours(c, summary.op()), summary.count()));
          }
        }
        case "mark" -> inbox.offer(lines.mark(c.pid, n));
        case "hello" -> bad(c, "a second hello");
        default -> bad(c, "unknown type \"" + printable(line.type()) + "\"");
      }
    } catch (BadLine e) {
      bad(c, line.type() + ": " + e.getMessage());
    }
  }

  /** The first line must be a hello for the peer's own pid. */
  private void greet(Connection c, AgentLines.Line line) throws BadLine {
    if (!line.type().equals("hello")) {
      inbox.reject();
      refuse(c, "the first line must be a hello, not \"" + printable(line.type()) + "\"");
      return;
    }
    AgentMessage.Hello hello;
    try {
      hello = lines.hello(line.node());
    } catch (BadLine e) {
      inbox.reject();
      refuse(c, "hello: " + e.getMessage());
      return;
    }
    if (hello.pid() != c.peer) {
      // a JVM in a pod or container knows its pid in its own namespace; /proc tells whether that is the peer's
      Optional<PidNamespaceView> view = PidNamespaceView.of(PROC, c.peer);
      if (view.isEmpty() || view.get().sharesOurs() || view.get().ownPid() != hello.pid()) {
        inbox.reject();
        refuse(c, "hello for pid " + hello.pid() + " on a connection of pid " + c.peer
            + view.filter(v -> !v.sharesOurs()).map(v -> " (" + v.ownPid() + " in its own pid namespace)").orElse("")
            + ": an agent speaks only for its own process");
        return;
      }
      c.namespace = view.get();
    }
    c.pid = c.peer;
    hello = new AgentMessage.Hello(c.peer, hello.service(), hello.agentVersion(), hello.runtime());
    c.protocol = AgentLines.protocol(line.node());
    // a version 1 agent gets the welcome it always got; a newer one is told the version chosen
    answer(c, "{\"type\":\"welcome\",\"collector\":\"" + options.version().replaceAll("[^\\w.+-]", "") + "\""
        + (c.protocol > AgentLines.PROTOCOL ? ",\"protocol\":" + c.protocol : "") + "}\n");
    inbox.offer(hello);
  }

  /**
   * The operation with our thread id and peer pid, for an agent in another pid namespace (its own are the
   * namespace's). A thread or peer that has ended before we could look is 0: unknown, as the agent says when it
   * cannot tell.
   */
  private static AgentOp ours(Connection c, AgentOp op) {
    PidNamespaceView ns = c.namespace;
    if (ns == null) {
      return op;
    }
    int tid = ns.thread(op.tid()).orElse(0);
    long peer = op.peerPid() > 0 && op.peerPid() <= Integer.MAX_VALUE ? ns.process((int) op.peerPid()).orElse(0) : 0;
    return new AgentOp(op.pid(), op.spanId(), op.mechanism(), op.operation(), op.channel(), op.bytes(), peer, tid,
        op.startNanos(), op.endNanos(), op.traceId(), op.parentSpanId(), op.sampled(), op.attributes());
  }

  /** A line that is skipped (after the hello) or that closes the connection (before it). */
  private void bad(Connection c, String reason) {
    if (c.pid == 0) {
      inbox.reject();
      refuse(c, reason);
      return;
    }
    inbox.badLine();
    if (!c.noticed) {
      c.noticed = true; // one notice per connection: a broken agent must not flood the collector's log
      notice("agent socket: " + who(c) + ": line skipped: " + reason);
    }
  }

  /** Answers an error, notes it, and closes. */
  private void refuse(Connection c, String reason) {
    notice("agent socket: " + who(c) + ": " + reason + "; connection closed");
    answer(c, error(reason));
    drop(c);
  }

  private void answer(Connection c, String line) {
    try {
      sockets.write(c.fd, line.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // it went away: reading tells
    }
  }

  private static String error(String message) {
    StringBuilder s = new StringBuilder("{\"type\":\"error\",\"message\":\"");
    for (char ch : message.toCharArray()) {
      if (ch == '"' || ch == '\\') {
        s.append('\\').append(ch);
      } else if (ch >= 0x20) {
        s.append(ch);
      }
    }
    return s.append("\"}\n").toString();
  }

  private void drop(Connection c) {
    synchronized (this) {
      connections.remove(c);
    }
    if (c.pid != 0) {
      inbox.offer(new AgentMessage.Gone(c.pid));
    }
    release(c);
  }

  private void release(Connection c) {
    if (!c.closed) {
      c.closed = true;
      UnixSockets.closeQuietly(c.fd);
      if (c.inode != 0) {
        ownInodes.put(c.inode, System.nanoTime());
      }
    }
  }

  private void housekeeping(long now) {
    List<Connection> silent = new ArrayList<>();
    synchronized (this) {
      for (Connection c : connections) {
        if (c.pid == 0 && now - c.openedNanos > options.helloTimeoutNanos()) {
          silent.add(c);
        }
      }
    }
    for (Connection c : silent) {
      inbox.reject();
      refuse(c, "no hello within " + options.helloTimeoutNanos() / 1_000_000 + " ms");
    }
    ownInodes.values().removeIf(closedAt -> closedAt != 0 && now - closedAt > OWN_SOCKET_GRACE_NANOS);
  }

  private void notice(String text) {
    long now = System.nanoTime();
    if (now - noticeWindowStart > NOTICE_WINDOW_NANOS) {
      noticeWindowStart = now;
      noticesInWindow = 0;
    }
    if (++noticesInWindow <= NOTICES_PER_WINDOW) {
      options.notices().accept(text);
    } else if (noticesInWindow == NOTICES_PER_WINDOW + 1) {
      options.notices().accept("agent socket: more notices in the next 10 s are only counted");
    }
  }

  private static String who(Connection c) {
    return "pid " + c.peer;
  }

  private static String printable(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** The inode of one of our descriptors, as /proc/self/fd names a socket: {@code socket:[INODE]}; 0 if unknown. */
  private static long inodeOf(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("socket:[") ? Long.parseLong(target.substring(8, target.length() - 1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * The socket's directory must let any user reach the socket: created 0711 when missing; an existing one that is
   * ipcscope's own ({@value #OWN_DIRECTORY_NAME}, ours, say /run/ipcscope made 0700 by the live socket) gets
   * search permission for all; any other is left alone, with a notice when other users cannot pass it.
   */
  private static void prepareDirectory(Path dir, Consumer<String> notices) throws IOException {
    Set<PosixFilePermission> searchable = PosixFilePermissions.fromString("rwx--x--x");
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, searchable); // not through createDirectories: the umask would apply
      return;
    }
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
    if (mode.contains(PosixFilePermission.OTHERS_EXECUTE)) {
      return;
    }
    boolean ours = Files.getOwner(dir).getName().equals(System.getProperty("user.name"));
    if (ours && dir.getFileName() != null && dir.getFileName().toString().equals(OWN_DIRECTORY_NAME)) {
      Set<PosixFilePermission> widened = EnumSet.copyOf(mode);
      widened.add(PosixFilePermission.GROUP_EXECUTE);
      widened.add(PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(dir, widened);
    } else {
      notices.accept("agent socket: " + dir + " is not searchable by other users: only JVMs of "
          + Files.getOwner(dir).getName() + " (and root) can reach the agent socket");
    }
  }

  /** Stops serving: closes every connection and the socket, and removes the socket file. */
  @Override
  public void close() {
    closed = true;
    UnixSockets.wake(wakeFd);
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    UnixSockets.closeQuietly(listenFd);
    UnixSockets.closeQuietly(wakeFd);
    if (!thread.isAlive()) {
      sockets.close();
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      options.notices().accept("agent socket: cannot remove " + socket + ": " + e.getMessage());
    }
  }

  /** One agent's connection: owned by the server's thread (the list of them is shared with {@link #connections}). */
  private static final class Connection {
    final int fd;
    final long openedNanos;
    /** Grows up to the longest line taken: most agents' lines are a few hundred bytes. */
    byte[] buffer;
    int filled;
    /** SO_PEERCRED's pid. */
    int peer;
    /** The pid the agent speaks for once welcomed; 0 before its hello. */
    int pid;
    /** The agent's process seen from its own pid namespace, when that is not ours; null when it is ours. */
    PidNamespaceView namespace;
    /** The protocol version chosen at the welcome. */
    int protocol = AgentLines.PROTOCOL;
    long inode;
    boolean noticed;
    boolean closed;

    Connection(int fd, long openedNanos, int maxLine) {
      this.fd = fd;
      this.openedNanos = openedNanos;
      this.buffer = new byte[Math.min(4096, maxLine)];
    }
  }
}
