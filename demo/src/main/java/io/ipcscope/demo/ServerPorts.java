package io.ipcscope.demo;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * How a server child tells the demo which ports the kernel gave its sockets (bound to port 0): a
 * small properties file in the run's temp dir, written atomically by the server ({@link #publish})
 * and awaited by the demo ({@link #await}), which passes the ports on to the client as arguments.
 * A file, not a pipe: the demo and its children exchange nothing over the traced mechanisms but
 * the workload's own traffic.
 */
final class ServerPorts {

  /** How long a server JVM may take to start and bind. */
  static final long TIMEOUT_SECONDS = 20;

  private ServerPorts() {}

  /** Server side: writes {@code ports} (name to port) to {@code file} in one rename. */
  static void publish(Path file, Map<String, Integer> ports) throws IOException {
    StringBuilder text = new StringBuilder(); // Properties.store would load the time zone rules for its date line.
    ports.forEach((name, port) -> text.append(name).append('=').append(port).append('\n'));
    Run.writeAtomically(file, text.toString());
  }

  /**
   * Demo side: waits until {@code server} published its ports in {@code file} and returns them
   * ({@link #port} reads one); fails as soon as the server exits, or after {@value #TIMEOUT_SECONDS} s.
   */
  static Properties await(Path file, Process server, String role) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!Files.exists(file)) {
      if (server.waitFor(5, TimeUnit.MILLISECONDS)) {
        throw new IOException(role + " (pid " + server.pid() + ") exited with status " + server.exitValue()
            + " before telling its ports");
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(role + " (pid " + server.pid() + ") told no ports within " + TIMEOUT_SECONDS + " s");
      }
    }
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      props.load(r);
    }
    return props;
  }

  /** The port called {@code name} in what {@link #await} returned. */
  static int port(Properties ports, String name) throws IOException {
    String value = ports.getProperty(name);
    if (value == null) {
      throw new IOException("the server told no " + name + " port");
    }
    return Integer.parseInt(value);
  }
}
