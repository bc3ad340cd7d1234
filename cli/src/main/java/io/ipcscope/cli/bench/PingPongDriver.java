package io.ipcscope.cli.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The two processes of {@code ipcscope bench pingpong}. The driver starts a pong child and, for each number N it
 * reads on its stdin, does N one-byte round trips with it over a {@link Transport} (by default a pair of pipes, the
 * child's stdin and stdout) and answers the elapsed nanoseconds; "N R" paces them at R round trips per second. Every
 * byte is one send and one receive call per side: no buffering layer in between.
 * Both stay up across runs so JIT warm-up and process start are paid once.
 */
public final class PingPongDriver {

  private PingPongDriver() {}

  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("--pong")) {
      pong(args);
    } else {
      drive(args.length > 0 ? Transport.Kind.valueOf(args[0].toUpperCase(java.util.Locale.ROOT)) : Transport.Kind.PIPE);
    }
  }

  /** The pong side: answer every ping until the channel goes away. */
  private static void pong(String[] args) throws IOException {
    exitWithDriver();
    switch (args[1]) {
      case "sysv_mq" -> {
        int id = Integer.parseInt(args[2]);
        byte[] buffer = new byte[16];
        try {
          while (true) {
            Transport.SysvQueue.receive(id, buffer, Transport.SysvQueue.PING);
            Transport.SysvQueue.send(id, buffer, Transport.SysvQueue.PONG);
          }
        } catch (com.sun.jna.LastErrorException removed) {
          // EIDRM or EINVAL: the driver removed the queue, the run is over
        }
      }
      case "posix_mq" -> {
        int ping = QueueLibc.C.mq_open(args[2] + "-ping", QueueLibc.O_RDWR, 0, null);
        int pong = QueueLibc.C.mq_open(args[2] + "-pong", QueueLibc.O_RDWR, 0, null);
        byte[] buffer = new byte[8];
        while (true) { // ends when the driver destroys this process
          Transport.PosixQueues.exchange(pong, ping, buffer);
        }
      }
      case "unix_stream", "tcp" -> {
        try (java.nio.channels.SocketChannel channel = Transport.Stream.connect(args[1], args[2])) {
          java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(1);
          while (Transport.Stream.echo(channel, buffer)) {
            // until the driver closes its end
          }
        }
      }
      case "unix_dgram" -> {
        int fd = BenchLibc.boundDatagramSocket(args[2] + "-pong");
        byte[] driver = BenchLibc.abstractAddress(args[2] + "-ping");
        byte[] buffer = new byte[8];
        Transport.Datagrams.send(fd, buffer, driver); // hello: bound, ready for pings
        try {
          while (true) {
            Transport.Datagrams.receive(fd, buffer);
            Transport.Datagrams.send(fd, buffer, driver);
          }
        } catch (com.sun.jna.LastErrorException gone) {
          // ECONNREFUSED: the driver's socket is gone, the run is over
        }
      }
      case "shm_sem" -> {
        int fd = BenchLibc.C.shm_open(args[2], BenchLibc.O_RDWR, 0);
        com.sun.jna.Pointer base = Transport.SharedMemory.map(fd);
        BenchLibc.C.close(fd);
        com.sun.jna.Pointer ping = base.share(Transport.SharedMemory.PING);
        com.sun.jna.Pointer pong = base.share(Transport.SharedMemory.PONG);
        BenchLibc.C.sem_post(pong); // hello: mapped, the driver may unlink the name
        while (true) { // ends with the driver (see exitWithDriver)
          Transport.SharedMemory.await(ping);
          base.setByte(Transport.SharedMemory.DATA, base.getByte(Transport.SharedMemory.DATA));
          BenchLibc.C.sem_post(pong);
        }
      }
      default -> {
        InputStream in = new FileInputStream(FileDescriptor.in);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        int b;
        while ((b = in.read()) >= 0) {
          out.write(b);
        }
      }
    }
  }

  /**
   * Pong, blocked in a semaphore or datagram wait, would never notice that the driver is gone (killed before its
   * shutdown hook could end pong): a daemon thread ends it then.
   */
  private static void exitWithDriver() {
    ProcessHandle driver = ProcessHandle.current().parent().orElse(null);
    if (driver == null) {
      return;
    }
    Thread watch = new Thread(() -> {
      while (driver.isAlive()) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
      }
      Runtime.getRuntime().halt(0);
    }, "exit-with-driver");
    watch.setDaemon(true);
    watch.start();
  }

  private static void drive(Transport.Kind kind) throws IOException {
    Process[] started = new Process[1];
    Transport.PongStarter starter = args -> {
      List<String> command = new java.util.ArrayList<>(childCommand());
      command.addAll(args);
      started[0] = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      return started[0];
    };
    Transport transport = switch (kind) {
      case PIPE -> {
        Process p = starter.start(List.of("pipe"));
        yield new Transport.Pipes(p.getOutputStream(), p.getInputStream());
      }
      case SYSV_MQ -> joinedBy(Transport.SysvQueue.create(), starter);
      case POSIX_MQ -> joinedBy(Transport.PosixQueues.create(), starter);
      case UNIX_STREAM -> Transport.Stream.unix(starter);
      case TCP -> Transport.Stream.tcp(starter);
      case UNIX_DGRAM -> Transport.Datagrams.create(starter);
      case SHM_SEM -> Transport.SharedMemory.create(starter);
    };
    Process pong = started[0];
    // The bench ends the driver with SIGTERM: only a shutdown hook runs then, and a queue outlives its processes.
    Thread cleanup = new Thread(() -> {
      pong.destroy();
      transport.close();
    }, "pingpong-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    serve(transport, pong);
  }

  /** Starts pong on a channel that needs no handshake (a queue pong opens by name or id). */
  private static Transport joinedBy(Transport transport, Transport.PongStarter starter) throws IOException {
    try {
      starter.start(transport.pongArgs()).getOutputStream().close();
      return transport;
    } catch (IOException | RuntimeException e) {
      transport.close();
      throw e;
    }
  }

  /** Answers the bench's control lines: "N" or "N R" (R round trips per second) runs N round trips. */
  private static void serve(Transport transport, Process pong) throws IOException {
    BufferedReader control = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
    PrintStream answer = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.US_ASCII);
    answer.println("ready " + pong.pid());
    String line;
    while ((line = control.readLine()) != null) {
      String[] words = line.trim().split(" ");
      long roundTrips = Long.parseLong(words[0]);
      long perSecond = words.length > 1 ? Long.parseLong(words[1]) : 0; // 0: flat out
      long start = System.nanoTime();
      for (long i = 0; i < roundTrips; i++) {
        if (perSecond > 0) {
          long due = start + i * 1_000_000_000L / perSecond;
          while (System.nanoTime() < due) {
            java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
          }
        }
        transport.roundTrip();
      }
      answer.println(System.nanoTime() - start);
    }
  }

  /** The same java, the same class path, a small footprint. */
  static List<String> childCommand() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return List.of(java, "-XX:+UseSerialGC", "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), PingPongDriver.class.getName(), "--pong");
  }

  /**
   * The driver, pinned to one CPU when {@code cpu >= 0} (its pong child inherits the pinning): two processes on one
   * CPU hand over by a context switch each way instead of a cross-CPU wake-up, which makes a round trip far steadier
   * on a small noisy machine, while the tracer's consumer runs on another CPU.
   */
  static List<String> driverCommand(int cpu) {
    return driverCommand(cpu, Transport.Kind.PIPE);
  }

  /** The driver over {@code transport}, pinned to {@code cpu} when it is >= 0. */
  static List<String> driverCommand(int cpu, Transport.Kind transport) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new java.util.ArrayList<>();
    if (cpu >= 0) {
      cmd.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
    }
    cmd.addAll(List.of(java, "-XX:+UseSerialGC", "-Xmx64m", "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), PingPongDriver.class.getName(), transport.id()));
    return cmd;
  }
}
