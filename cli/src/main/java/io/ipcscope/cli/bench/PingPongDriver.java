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
 * reads on its stdin, does N one-byte round trips with it over a pair of pipes (the child's stdin and stdout) and
 * answers the elapsed nanoseconds; "N R" paces them at R round trips per second. Every byte is one write(2) and one read(2): no buffering layer in between.
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

  private static void drive(Transport.Kind kind) throws IOException {
    Transport transport = switch (kind) {
      case PIPE -> null; // made below from the child's stdin and stdout
      case SYSV_MQ -> Transport.SysvQueue.create();
      case POSIX_MQ -> Transport.PosixQueues.create();
    };
    List<String> command = new java.util.ArrayList<>(childCommand());
    command.addAll(transport == null ? List.of("pipe") : transport.pongArgs());
    Process pong = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (transport == null) {
      transport = new Transport.Pipes(pong.getOutputStream(), pong.getInputStream());
    } else {
      pong.getOutputStream().close();
    }
    // The bench ends the driver with SIGTERM: only a shutdown hook runs then, and a queue outlives its processes.
    Transport owned = transport;
    Thread cleanup = new Thread(() -> {
      pong.destroy();
      owned.close();
    }, "pingpong-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    serve(transport, pong);
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
