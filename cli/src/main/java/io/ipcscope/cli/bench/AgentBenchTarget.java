package io.ipcscope.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The application {@code ipcscope bench agent} starts with and without the agent. It uses nothing but the JDK, and is
 * run from a class directory of its own (the bench copies this one class file there), so the JVM under test loads
 * what a small application loads and not the command line's jar. Prints one line of results on stdout.
 *
 * <ul>
 *   <li>{@code startup}: starts {@code true}, waits for it, prints {@code main-end CPU_NS}: the CPU time of all its
 *       threads so far (from /proc, exact to the nanosecond; the JVM's own counters are coarser).
 *   <li>{@code pipe WARMUP_MS COUNT SIZE}: starts {@code cat}; each echo writes SIZE bytes to its stdin (one write)
 *       and reads them back from its stdout; echoes for WARMUP_MS (the JIT compiles what start-up queued, the
 *       agent's code among it, which on one CPU would otherwise land in the measurement), then prints
 *       {@code elapsed NS} for COUNT echoes and {@code echoes N}, all it did.
 *   <li>{@code unix WARMUP_MS COUNT SIZE}: the same over a Unix-domain {@code SocketChannel} to a child JVM that
 *       echoes.
 *   <li>{@code unix-echo PATH}: that child: binds PATH, says {@code ready}, echoes one connection to its end.
 * </ul>
 */
public final class AgentBenchTarget {

  private AgentBenchTarget() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "startup" -> startup();
      case "pipe" -> pipe(Long.parseLong(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "unix" -> unix(Long.parseLong(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "unix-echo" -> unixEcho(Path.of(args[1]));
      default -> throw new IllegalArgumentException("unknown workload " + args[0]);
    }
  }

  private static void startup() throws Exception {
    int exit = new ProcessBuilder("true").start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("true exited with " + exit);
    }
    System.out.println("main-end " + cpuNanos(ProcessHandle.current().pid()));
  }

  private static void pipe(long warmUpMillis, int count, int size) throws Exception {
    Process cat = new ProcessBuilder("cat").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    OutputStream toCat = cat.getOutputStream();
    InputStream fromCat = cat.getInputStream();
    byte[] line = line(size);
    byte[] back = new byte[size];
    long warmUp = 0;
    for (long end = System.nanoTime() + warmUpMillis * 1_000_000; System.nanoTime() < end; warmUp++) {
      echo(toCat, fromCat, line, back);
    }
    long cpuStart = cpuNanos(ProcessHandle.current().pid()) + cpuNanos(cat.pid());
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      echo(toCat, fromCat, line, back);
    }
    long elapsed = System.nanoTime() - start;
    long cpu = cpuNanos(ProcessHandle.current().pid()) + cpuNanos(cat.pid()) - cpuStart;
    if (!Arrays.equals(line, back)) {
      throw new IllegalStateException("cat echoed something else");
    }
    toCat.close();
    cat.waitFor();
    System.out.println("elapsed " + elapsed);
    System.out.println("cpu " + cpu);
    System.out.println("echoes " + (warmUp + count));
  }

  private static void echo(OutputStream out, InputStream in, byte[] line, byte[] back) throws IOException {
    out.write(line);
    out.flush(); // the child's stdin is buffered: one write(2) per echo
    for (int got = 0; got < back.length; ) {
      int n = in.read(back, got, back.length - got);
      if (n < 0) {
        throw new IOException("cat exited");
      }
      got += n;
    }
  }

  private static void unix(long warmUpMillis, int count, int size) throws Exception {
    Path dir = Files.createTempDirectory("ipcscope-agent-bench");
    Path socket = dir.resolve("echo.sock");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process peer = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx32m", "-cp",
        System.getProperty("java.class.path"), AgentBenchTarget.class.getName(), "unix-echo", socket.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      byte[] ready = peer.getInputStream().readNBytes(6);
      if (!new String(ready, StandardCharsets.US_ASCII).equals("ready\n")) {
        throw new IOException("the echo peer did not start");
      }
      try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel.connect(UnixDomainSocketAddress.of(socket));
        ByteBuffer line = ByteBuffer.wrap(line(size));
        ByteBuffer back = ByteBuffer.allocate(size);
        long warmUp = 0;
        for (long end = System.nanoTime() + warmUpMillis * 1_000_000; System.nanoTime() < end; warmUp++) {
          echo(channel, line, back);
        }
        long cpuStart = cpuNanos(ProcessHandle.current().pid()) + cpuNanos(peer.pid());
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
          echo(channel, line, back);
        }
        long elapsed = System.nanoTime() - start;
        long cpu = cpuNanos(ProcessHandle.current().pid()) + cpuNanos(peer.pid()) - cpuStart;
        if (!Arrays.equals(line.array(), back.array())) {
          throw new IllegalStateException("the peer echoed something else");
        }
        channel.shutdownOutput();
        peer.waitFor();
        System.out.println("elapsed " + elapsed);
        System.out.println("cpu " + cpu);
        System.out.println("echoes " + (warmUp + count));
      }
    } finally {
      peer.destroy();
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  private static void echo(SocketChannel channel, ByteBuffer line, ByteBuffer back) throws IOException {
    line.clear();
    while (line.hasRemaining()) {
      channel.write(line);
    }
    back.clear();
    while (back.hasRemaining()) {
      if (channel.read(back) < 0) {
        throw new IOException("the echo peer closed");
      }
    }
  }

  private static void unixEcho(Path socket) throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      System.out.print("ready\n");
      System.out.flush();
      try (SocketChannel client = server.accept()) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
        while (client.read(buffer) >= 0) {
          buffer.flip();
          while (buffer.hasRemaining()) {
            client.write(buffer);
          }
          buffer.clear();
        }
      }
    }
  }

  private static byte[] line(int size) {
    byte[] line = new byte[size];
    Arrays.fill(line, (byte) 'x');
    line[size - 1] = '\n';
    return line;
  }

  /**
   * The sum over a process's threads of their time on a CPU (the first field of each task's schedstat): the
   * workload's cost whatever else ran on its CPU meanwhile.
   */
  private static long cpuNanos(long pid) throws IOException {
    long total = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        try {
          List<String> fields = List.of(Files.readString(task.resolve("schedstat")).trim().split(" "));
          total += Long.parseLong(fields.get(0));
        } catch (IOException threadEnded) {
          // a thread that ended while listed: its time is gone from /proc either way
        }
      }
    }
    return total;
  }
}
